"""The pixels segment: the scene, its pixel grid and its other parts."""
