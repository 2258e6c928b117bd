"""The outro: the scene and the Q landscape its ball rolls on."""
