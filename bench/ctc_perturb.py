#!/usr/bin/env python3
"""Makes a CTC result folder (maskTTT.tif + res_track.txt) from a CTC ground truth folder by
taking its TRA markers and applying controlled, deterministic perturbations. Used to cross-check
`nativeseg evaluate` against py-ctcmetrics on real data (bench/ctc_crosscheck.py); development
tool only (numpy + tifffile).

    python3 bench/ctc_perturb.py --gt DATA/Fluo-N2DH-GOWT1/01_GT --out /tmp/RES [--ops all|none|drop,swap,...]

Perturbations (each on its own tracks, chosen by fixed rules so a run is reproducible):
  drop      the longest track loses its object in its middle frame (a gap: the track is cut and
            continues under a new label whose parent is the old one)
  swap      two tracks exchange labels in one frame
  break     a track is cut into a parent and a child (a track link becomes a parent link)
  unlink    a track is cut without a parent (a missing link)
  falsediv  a track "divides" into its continuation and a small piece that lives one frame
  merge     one object takes over another one in one frame (the other track is cut around it)
  split     a third of an object becomes a separate one-frame object
  fp        a 9x9 false object on the background in the first three frames
  erode     every object loses its outer pixel ring (4-neighbourhood), unless it would vanish
"""
import argparse
import os

import numpy as np
import tifffile

ALL = ["drop", "swap", "break", "unlink", "falsediv", "merge", "split", "fp", "erode"]


def read_tracks(path):
    tracks = {}
    with open(path) as f:
        for line in f:
            parts = line.split()
            if len(parts) == 4:
                l, b, e, p = map(int, parts)
                tracks[l] = [b, e, p]
    return tracks


class Result:
    def __init__(self, gt):
        tra = os.path.join(gt, "TRA")
        files = sorted(f for f in os.listdir(tra) if f.startswith("man_track") and f.endswith(".tif"))
        self.masks = [tifffile.imread(os.path.join(tra, f)).astype(np.uint16) for f in files]
        self.tracks = read_tracks(os.path.join(tra, "man_track.txt"))
        self.next = max(self.tracks) + 1
        self.used = set()
        self.log = []

    def new_label(self):
        l = self.next
        self.next += 1
        return l

    def area(self, t, l):
        return int((self.masks[t] == l).sum())

    def candidates(self, first, last, min_area=100):
        """Unused tracks alive (and not tiny) in frames first..last, by label."""
        out = []
        for l in sorted(self.tracks):
            b, e, _ = self.tracks[l]
            if l in self.used or b > first or e < last:
                continue
            if all(self.area(t, l) >= min_area for t in range(first, last + 1)):
                out.append(l)
        return out

    def cut(self, l, k, parent_link=True, skip_frame=False):
        """Frames k.. of track l (from k+1 when skip_frame) get a new label."""
        b, e, p = self.tracks[l]
        n = self.new_label()
        start = k + 1 if skip_frame else k
        for t in range(start, e + 1):
            self.masks[t][self.masks[t] == l] = n
        for c in self.tracks.values():
            if c[2] == l:
                c[2] = n
        self.tracks[l] = [b, k - 1, p]
        self.tracks[n] = [start, e, l if parent_link else 0]
        self.used.update({l, n})
        return n

    def move_tail(self, t, l, fraction, to):
        ys, xs = np.nonzero(self.masks[t] == l)
        count = int(len(ys) * fraction)
        if count:
            self.masks[t][ys[-count:], xs[-count:]] = to
        return count

    # --- perturbations ---
    def drop(self):
        best = None
        for l in sorted(self.tracks):
            b, e, _ = self.tracks[l]
            if l not in self.used and e - b >= 4 and (best is None or e - b > best[1]):
                best = (l, e - b)
        l = best[0]
        b, e, _ = self.tracks[l]
        k = (b + e) // 2
        self.masks[k][self.masks[k] == l] = 0
        n = self.cut(l, k, parent_link=True, skip_frame=True)
        self.log.append(f"drop: track {l} missing in frame {k}, continues as {n}")

    def swap(self):
        k = len(self.masks) // 3
        c = self.candidates(k - 1, k + 1)
        a, b = c[0], c[1]
        m = self.masks[k]
        ia, ib = m == a, m == b
        m[ia], m[ib] = b, a
        self.used.update({a, b})
        self.log.append(f"swap: tracks {a} and {b} in frame {k}")

    def _cut_middle(self, parent_link, name):
        for l in sorted(self.tracks):
            b, e, _ = self.tracks[l]
            if l not in self.used and e - b >= 2:
                k = (b + e + 1) // 2
                n = self.cut(l, k, parent_link=parent_link)
                self.log.append(f"{name}: track {l} cut at frame {k} into {n} (parent {'yes' if parent_link else 'no'})")
                return

    def break_(self):
        self._cut_middle(True, "break")

    def unlink(self):
        self._cut_middle(False, "unlink")

    def falsediv(self):
        k = 2 * len(self.masks) // 3
        l = self.candidates(k - 1, k, 300)[0]
        n1 = self.cut(l, k)
        n2 = self.new_label()
        moved = self.move_tail(k, n1, 1 / 3, n2)
        self.tracks[n2] = [k, k, l]
        self.used.add(n2)
        self.log.append(f"falsediv: track {l} at frame {k} into {n1} and a {moved}-pixel piece {n2}")

    def merge(self):
        k = len(self.masks) // 2
        c = self.candidates(k - 1, k + 1)
        a, b = c[0], c[1]
        self.masks[k][self.masks[k] == b] = a
        bb, be, bp = self.tracks[b]
        n = self.cut(b, k, parent_link=True, skip_frame=True)
        self.used.add(a)
        self.log.append(f"merge: track {b} drawn as {a} in frame {k} ({b} continues as {n})")

    def split(self):
        k = len(self.masks) // 4
        l = self.candidates(k, k, 300)[0]
        n = self.new_label()
        moved = self.move_tail(k, l, 0.3, n)
        self.tracks[n] = [k, k, 0]
        self.used.update({l, n})
        self.log.append(f"split: {moved} pixels of track {l} in frame {k} become object {n}")

    def fp(self):
        h, w = self.masks[0].shape
        n = self.new_label()
        for y in range(0, h - 9, 9):
            for x in range(0, w - 9, 9):
                if all(not self.masks[t][y:y + 9, x:x + 9].any() for t in range(3)):
                    for t in range(3):
                        self.masks[t][y:y + 9, x:x + 9] = n
                    self.tracks[n] = [0, 2, 0]
                    self.log.append(f"fp: object {n} at ({x}, {y}) in frames 0-2")
                    return

    def erode(self):
        for t, m in enumerate(self.masks):
            keep = m.copy()
            p = np.pad(m, 1, mode="edge")
            for dy, dx in ((0, 1), (2, 1), (1, 0), (1, 2)):
                keep[p[dy:dy + m.shape[0], dx:dx + m.shape[1]] != m] = 0
            # An object eroded away would break the CTC rules (and py-ctcmetrics would refuse the
            # result): such objects keep their pixels.
            for l in np.setdiff1d(np.unique(m), np.unique(keep)):
                keep[m == l] = l
            self.masks[t] = keep
        self.log.append("erode: every object lost its outer pixel ring (objects that would vanish excepted)")

    def write(self, out):
        os.makedirs(out, exist_ok=True)
        digits = 4 if len(self.masks) > 1000 else 3
        for t, m in enumerate(self.masks):
            tifffile.imwrite(os.path.join(out, f"mask{t:0{digits}d}.tif"), m.astype(np.uint16))
        with open(os.path.join(out, "res_track.txt"), "w") as f:
            for l in sorted(self.tracks):
                b, e, p = self.tracks[l]
                f.write(f"{l} {b} {e} {p}\n")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--gt", required=True, help="CTC ground truth folder (01_GT)")
    ap.add_argument("--out", required=True, help="result folder to write")
    ap.add_argument("--ops", default="all", help="comma-separated perturbations, 'all' or 'none'")
    args = ap.parse_args()
    ops = ALL if args.ops == "all" else [] if args.ops == "none" else args.ops.split(",")
    r = Result(args.gt)
    for op in ops:
        getattr(r, "break_" if op == "break" else op)()
    r.write(args.out)
    for line in r.log:
        print(line)


if __name__ == "__main__":
    main()
