"""What the command line and the button share.

Where inputs come from, where outputs go, the workflows.
"""
