"""The loss-bars segment: the scene and its clip bars and epoch chart."""
