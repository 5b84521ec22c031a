"""Bundled data: Xiamen's divisions and sample reports."""
