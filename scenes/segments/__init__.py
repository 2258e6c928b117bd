"""The video's segment scenes: a module (or a folder, with its own parts) per segment; scenes.registry lists them."""
