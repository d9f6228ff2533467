"""Tiaodu (调度): key-project management and dispatch for Chinese city and county governments."""

__version__ = "0.1.0"
