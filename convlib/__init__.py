"""convlib: transposed convolution three ways."""
