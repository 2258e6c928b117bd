"""The config stage: video.yaml read, validated and typed (``load_config``), its model and its messages."""
