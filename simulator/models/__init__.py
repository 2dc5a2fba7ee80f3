"""Installed speech models: where they live, which ones exist, download, install and remove.

Nothing here imports a speech engine; loading a model is the recognizers' job.
"""
