"""TEMPORARY: the bound formulas of the agreed shapes API, until branch i10-setup is merged."""
import math


def output_padding_limit(stride, dilation):
    return max(stride, dilation)


def largest_padding(input_size, kernel_size, stride=1, output_padding=0, dilation=1):
    return ((input_size - 1) * stride + dilation * (kernel_size - 1) + output_padding) // 2


def divisors(n):
    return [d for d in range(1, n + 1) if n % d == 0]
