# ---
# jupyter:
#   jupytext:
#     cell_metadata_filter: slideshow,tags,-all
#     text_representation:
#       extension: .py
#       format_name: percent
#       format_version: '1.3'
#       jupytext_version: 1.19.6
#   kernelspec:
#     display_name: Python 3 (ipykernel)
#     language: python
#     name: python3
# ---

# %% [markdown]
# # Transposed convolution, made obvious
#
# **Question:** What is transposed convolution, and how do I use this textbook?
#
# This textbook answers the questions real learners asked about transposed convolution, with
# numbers you can run, pictures you can change and three implementations that agree with PyTorch.

# %% [markdown] tags=["navigation"]
# [contents](00_index.ipynb)

# %% [markdown]
# ## Chapters

# %% [markdown] tags=["chapter-list"]
# | chapter | the question it answers |
# | --- | --- |

# %%
import convlib
import torch

print("convlib", convlib.__name__, "| torch", torch.__version__.split("+")[0])

# %% [markdown] tags=["navigation"]
# [contents](00_index.ipynb)
