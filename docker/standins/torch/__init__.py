# Stand-in of PyTorch's package (docker/standins/Containerfile.pytorch): only its version and its lib/ folder.
__version__ = "2.7.1+cu128"
