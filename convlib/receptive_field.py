"""What one output sees and where it sits: a chain of convolutions and transposed convolutions
as coordinate maps, along one spatial axis (chapter 14, notebooks/14_design.ipynb).

Each layer maps an index u of its output to the place in its input where that output is
centred, u -> a*u + b, and sees the inputs within a window `span` wide around it (in its
input's units). With K = d(k-1) + 1:

    convolution, pooling      a = s      b = (K-1)/2 - p        span = K - 1
    transposed convolution    a = 1/s    b = (p - (K-1)/2)/s    span = (K-1)/s

A transposed convolution's input u stamps its kernel's centre at s*u + (K-1)/2 - p; the map is
that, inverted. output_padding appends entries at the end and moves nothing, so it is not in
the map. Through a chain, with A the product of the scales before a layer (its "jump"):

    map       u -> A_n u + B_n,   A_n = A_(n-1) a_n,   B_n = A_(n-1) b_n + B_(n-1)
    width     W_n = W_(n-1) + A_(n-1) span_n           (receptive field W + 1 for convolutions)

Two chains from the same input are aligned by cropping the first from offset (B_2 - B_1) / A
when both have the same scale A and that offset is a whole number. Sizes come from
convlib.shapes; the exact inputs that reach an output (`reaching`) count the borders too.
"""
from dataclasses import dataclass
from fractions import Fraction

from . import shapes
from .shapes import formulas
from .shapes.arguments import MINIMUMS


@dataclass(frozen=True)
class Layer:
    """One layer along one axis: a convolution or pooling (`transposed=False`, with PyTorch's
    `ceil_mode` for pooling) or a transposed convolution. Make it with conv(), pool() or
    conv_transpose(), which check the arguments."""
    kernel_size: int
    stride: int = 1
    padding: int = 0
    dilation: int = 1
    output_padding: int = 0
    transposed: bool = False
    ceil_mode: bool = False
    name: str = ""

    @property
    def kernel_span(self):
        """K = d(k-1) + 1."""
        return formulas.kernel_span(self.kernel_size, self.dilation)

    @property
    def scale(self):
        """a: s for a convolution, 1/s for a transposed one."""
        return Fraction(1, self.stride) if self.transposed else Fraction(self.stride)

    @property
    def shift(self):
        """b: (K-1)/2 - p for a convolution, (p - (K-1)/2)/s for a transposed one."""
        centre = Fraction(self.kernel_span - 1, 2) - self.padding
        return -centre / self.stride if self.transposed else centre

    @property
    def span(self):
        """The window's width in input units: K - 1, or (K - 1)/s for a transposed one."""
        return Fraction(self.kernel_span - 1, self.stride if self.transposed else 1)

    def output_size(self, input_size):
        """The output size, by convlib.shapes' formulas (ceil_mode: PyTorch's pooling rule);
        ValueError if it would be below 1."""
        i, k, s, p, d = input_size, self.kernel_size, self.stride, self.padding, self.dilation
        if self.transposed:
            size = formulas.smallest_output_size(i, k, s, p, d) + self.output_padding
        elif self.ceil_mode:
            size = formulas.pool_output_size_ceil(i, k, s, p, d)
        else:
            size = formulas.conv_output_size(i, k, s, p, d)
        if size < 1:
            raise ValueError(f"input_size={input_size} is too small for {self}: its output "
                             f"would have {size} entries")
        return size

    def inputs(self, u, input_size):
        """The input indices that reach output u: s*u - p + d*t for a convolution, and the
        j with s*j + d*t = u + p for a transposed one (t = 0 .. k-1), inside 0 .. i-1."""
        k, s, p, d = self.kernel_size, self.stride, self.padding, self.dilation
        if self.transposed:
            found = [(u + p - d * t) // s for t in range(k) if (u + p - d * t) % s == 0]
        else:
            found = [s * u - p + d * t for t in range(k)]
        return sorted({j for j in found if 0 <= j < input_size})


def checked(name, kernel_size, stride, padding, dilation, output_padding=0):
    """The arguments as ints, by convlib.shapes' rules (each error names the parameter)."""
    values = dict(kernel_size=kernel_size, stride=stride, padding=padding, dilation=dilation,
                  output_padding=output_padding)
    values = {n: shapes.as_int(v, n, MINIMUMS[n]) for n, v in values.items()}
    limit = shapes.output_padding_limit(values["stride"], values["dilation"])
    if values["output_padding"] >= limit:
        raise ValueError(f"output_padding must be smaller than max(stride, dilation) = {limit}, "
                         f"got output_padding={output_padding}")
    return dict(values, name=name)


def conv(kernel_size, stride=1, padding=0, dilation=1, name="conv"):
    """A convolution along one axis (nn.Conv1d's arguments)."""
    return Layer(**checked(name, kernel_size, stride, padding, dilation))


def pool(kernel_size, stride=None, padding=0, ceil_mode=False, name="pool"):
    """A max or average pooling along one axis: the window of a convolution (stride defaults to
    kernel_size, as in PyTorch)."""
    stride = kernel_size if stride is None else stride
    return Layer(**checked(name, kernel_size, stride, padding, 1), ceil_mode=ceil_mode)


def conv_transpose(kernel_size, stride=1, padding=0, output_padding=0, dilation=1,
                   name="conv_transpose"):
    """A transposed convolution along one axis (nn.ConvTranspose1d's arguments)."""
    return Layer(**checked(name, kernel_size, stride, padding, dilation, output_padding),
                 transposed=True)


@dataclass(frozen=True)
class Chain:
    """Layers applied in order to one input. Output u of the last sits at input a*u + b
    (`coordinate_map`) and sees a window `width` wide around it; `jumps` is the distance in
    input units between neighbouring entries after each layer."""
    layers: tuple

    @property
    def coordinate_map(self):
        """(a, b) as Fractions: a = a_1 ... a_n, b = sum of b_l times the scales before it."""
        a, b = Fraction(1), Fraction(0)
        for layer in self.layers:
            a, b = a * layer.scale, b + a * layer.shift
        return a, b

    @property
    def jumps(self):
        """A after each layer: the product of the scales up to it."""
        found, a = [], Fraction(1)
        for layer in self.layers:
            a *= layer.scale
            found.append(a)
        return found

    @property
    def width(self):
        """W = sum of span_l times the scales before layer l: the window in input units."""
        return sum((jump / layer.scale * layer.span for layer, jump in
                    zip(self.layers, self.jumps)), Fraction(0))

    @property
    def receptive_field(self):
        """W + 1 input entries: the receptive field of a chain of convolutions (with a
        transposed layer, the count depends on the output's phase: see `reaching`)."""
        return self.width + 1

    def sizes(self, input_size):
        """The size after each layer, from input_size (convlib.shapes' formulas)."""
        found = [input_size]
        for layer in self.layers:
            found.append(layer.output_size(found[-1]))
        return found[1:]

    def reaching(self, index, input_size):
        """The input indices whose value reaches output `index` of the last layer: the chain's
        exact receptive field, borders and phases counted."""
        sizes = [input_size] + self.sizes(input_size)
        if not 0 <= index < sizes[-1]:
            raise ValueError(f"index must be an output index, 0 to {sizes[-1] - 1} for "
                             f"input_size={input_size}, got index={index}")
        found = {index}
        for layer, size in zip(reversed(self.layers), reversed(sizes[:-1])):
            found = {j for u in found for j in layer.inputs(u, size)}
        return sorted(found)

    def __add__(self, other):
        return Chain(self.layers + other.layers)


def chain(*layers):
    """A Chain of these layers, in the order they are applied."""
    return Chain(tuple(layers))


def written(a, b, u="u"):
    """a*u + b as a reader writes it: 'u', '32*u + 25/2', 'v - 19', '1/2*u - 1/4'; u may be a
    number too."""
    term = str(u) if a == 1 else f"{a}*{u}"
    return term + (f" + {b}" if b > 0 else f" - {-b}" if b < 0 else "")


def crop_offset(cropped, target):
    """Where to start cropping the output of chain `cropped` so that its entries sit where
    `target`'s do: (B_target - B_cropped) / A, for two chains from the same input with the same
    scale A. ValueError if the scales differ or the offset is not a whole number (no crop aligns
    them)."""
    (a, b), (a_target, b_target) = cropped.coordinate_map, target.coordinate_map
    if a != a_target:
        raise ValueError(f"the chains' scales differ ({a} and {a_target}): entries of one sit "
                         f"{a} input entries apart, of the other {a_target}; no crop aligns them")
    offset = (b_target - b) / a
    if offset.denominator != 1:
        raise ValueError(f"the offset {offset} is not a whole number of entries: the chains "
                         f"are misaligned by a fraction of an entry, and no crop aligns them")
    return int(offset)
