"""Domain rules: plain functions over API messages, no gRPC and no SQL."""
