#!/usr/bin/python3
"""Writes the benchmark's model package: a small 2-D U-Net (3 poolings, 8 base channels,
1 input and 1 output channel with a sigmoid) scripted with torch.jit.script and saved with
torch.jit.save, plus a bioimage.io v0.5 rdf.yaml and test tensors made by PyTorch (so
`nativeseg validate-model` also cross-checks LibTorch in NativeSeg against Python PyTorch
and our .npy reader against NumPy's writer).

Usage: /usr/bin/python3 bench/make_unet.py OUT_DIR   (Debian's python3-torch)
"""
import os
import sys

import numpy as np
import torch
import torch.nn as nn


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self, base: int = 8):
        super().__init__()
        self.e0, self.e1, self.e2 = block(1, base), block(base, 2 * base), block(2 * base, 4 * base)
        self.mid = block(4 * base, 8 * base)
        self.u2 = nn.ConvTranspose2d(8 * base, 4 * base, 2, stride=2)
        self.d2 = block(8 * base, 4 * base)
        self.u1 = nn.ConvTranspose2d(4 * base, 2 * base, 2, stride=2)
        self.d1 = block(4 * base, 2 * base)
        self.u0 = nn.ConvTranspose2d(2 * base, base, 2, stride=2)
        self.d0 = block(2 * base, base)
        self.head = nn.Conv2d(base, 1, 1)

    def forward(self, x):
        x0 = self.e0(x)
        x1 = self.e1(torch.max_pool2d(x0, 2))
        x2 = self.e2(torch.max_pool2d(x1, 2))
        m = self.mid(torch.max_pool2d(x2, 2))
        y = self.d2(torch.cat([self.u2(m), x2], 1))
        y = self.d1(torch.cat([self.u1(y), x1], 1))
        y = self.d0(torch.cat([self.u0(y), x0], 1))
        return torch.sigmoid(self.head(y))


RDF = """format_version: 0.5.3
type: model
name: Benchmark U-Net
description: A small 2-D U-Net (3 poolings, 8 base channels) with random weights, for speed comparisons only.
license: MIT
documentation: README.md
authors: [{name: NativeSeg benchmark}]
cite: [{text: "Ronneberger et al., U-Net (2015)", doi: 10.1007/978-3-319-24574-4_28}]
inputs:
  - id: raw
    axes:
      - {type: batch}
      - {type: channel, channel_names: [raw]}
      - {type: space, id: y, size: {min: 16, step: 8}}
      - {type: space, id: x, size: {min: 16, step: 8}}
    test_tensor: {source: test_input.npy}
outputs:
  - id: foreground
    axes:
      - {type: batch}
      - {type: channel, channel_names: [foreground]}
      - {type: space, id: y, size: {tensor_id: raw, axis_id: y}, halo: 16}
      - {type: space, id: x, size: {tensor_id: raw, axis_id: x}, halo: 16}
    test_tensor: {source: test_output.npy}
weights:
  torchscript: {source: weights.pt, pytorch_version: "%s"}
config:
  nativeseg:
    channels: [foreground]
    threshold: 0.5
    normalize: none
"""


def main():
    out = sys.argv[1]
    os.makedirs(out, exist_ok=True)
    torch.manual_seed(0)
    model = UNet().eval()
    scripted = torch.jit.script(model)
    torch.jit.save(scripted, os.path.join(out, "weights.pt"))
    with open(os.path.join(out, "rdf.yaml"), "w") as f:
        f.write(RDF % torch.__version__.split("+")[0])
    with open(os.path.join(out, "README.md"), "w") as f:
        f.write("# Benchmark U-Net\n\nRandom weights; used by bench/inference_bench.sh only.\n")
    x = torch.rand(1, 1, 64, 48) * 1000
    with torch.inference_mode():
        y = scripted(x)
    np.save(os.path.join(out, "test_input.npy"), x.numpy())
    np.save(os.path.join(out, "test_output.npy"), y.numpy())
    print("wrote", out)


if __name__ == "__main__":
    main()
