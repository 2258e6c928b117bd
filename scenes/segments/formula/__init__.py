"""The formula segment: the scene, and the parts only it uses (demos, callouts, cards, chips, the pile)."""
