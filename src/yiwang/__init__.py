"""yiwang (一网): an open-source 互联网+政务服务 platform."""

__version__ = "0.1.0"
