#!/usr/bin/python3
"""Reference values for @labkit/epma-convert, computed independently in Python.

Usage (from packages/epma-convert):

    node scripts/export-weights.mjs > /tmp/labkit-weights.json
    /usr/bin/python3 scripts/reference_fixtures.py /tmp/labkit-weights.json \
        > src/composition/fixtures/reference.json

Needs Debian's python3-pymatgen and python3-periodictable. Formulae are parsed by pymatgen
(not by labkit's parser) and the arithmetic is written out here again, with labkit's atomic
weights substituted: both libraries ship older IUPAC weights, and the point is to check the
conversions, not to import their tables. The differences between their tables and ours are listed
in the output, each with its reason; the script fails if a difference has no reason.
"""

import importlib.metadata
import json
import sys

import periodictable
from pymatgen.core import Composition, Element

# Why periodictable 1.6 and pymatgen 2022.11 differ from CIAAW 2021 (+2024): each symbol that
# differs must be listed here.
INTERVAL = "CIAAW gives an interval since 2009-2011; labkit uses the conventional value, the libraries a pre-2009 single value"
MONOISOTOPIC = "monoisotopic or near-monoisotopic element re-evaluated from newer atomic-mass evaluations (CIAAW 2013/2017/2021, AME2012/2016/2020); the libraries keep older values or fewer digits"
ABUNDANCE = "standard atomic weight revised by CIAAW from newer isotopic-abundance measurements"
REASONS = {
    **{s: INTERVAL for s in ["H", "Li", "B", "C", "N", "O", "Si", "S", "Cl", "Tl"]},
    "Ar": "CIAAW 2017 changed 39.948(1) to the interval [39.792, 39.963]; labkit uses the conventional 39.95",
    **{s: MONOISOTOPIC for s in ["Be", "F", "Na", "Al", "P", "Sc", "Mn", "Co", "As", "Y", "Nb", "Rh",
                                  "Cs", "Pr", "Tb", "Ho", "Tm", "Au", "Bi", "Ta"]},
    "La": "CIAAW 138.90547(7) (2005); periodictable keeps 138.9055",
    "Zn": ABUNDANCE + " (2007: 65.409 -> 65.38)",
    "Ge": ABUNDANCE + " (2009: 72.64 -> 72.630)",
    "Se": ABUNDANCE + " (2013: 78.96 -> 78.971)",
    "Mo": ABUNDANCE + " (2009/2013: 95.94 -> 95.96 -> 95.95)",
    "Cd": ABUNDANCE + " (2013: 112.411 -> 112.414)",
    "Nd": "CIAAW 144.242(3) (2005); periodictable keeps 144.24",
    "Pt": "CIAAW 195.084(9) (2005); periodictable keeps 195.078",
    "Hg": ABUNDANCE + " (2011: 200.59 -> 200.592)",
    "Yb": ABUNDANCE + " (2015: 173.054 -> 173.045)",
    "Hf": ABUNDANCE + " (2019: 178.49 -> 178.486)",
    "Th": ABUNDANCE + " (2013: 232.03806 -> 232.0377)",
    "Zr": ABUNDANCE + " (2024: 91.224 -> 91.222)",
    "Gd": ABUNDANCE + " (2024: 157.25 -> 157.249)",
    "Lu": ABUNDANCE + " (2007 and 2024: 174.967 -> 174.9668 -> 174.96669)",
}
NO_STANDARD = ("no standard atomic weight (no stable isotope of characteristic terrestrial composition); "
               "the libraries give the mass number of a long-lived isotope, labkit refuses unless the user supplies a mass")

# Oxide analyses (wt%), rounded, of the kind met in EPMA work. They exercise the arithmetic;
# apart from the cited olivine they are illustrative, not published or certified values.
OXIDE_CASES = [
    # USGS spectral library sample GDS70 (olivine Fo89, South Point, Hawaii), EPMA by W.I. Ridley.
    ("olivine Fo89 (USGS GDS70)", {"SiO2": 41.09, "TiO2": 0.01, "Cr2O3": 0.05, "FeO": 9.16, "NiO": 0.39, "MnO": 0.21,
                                   "MgO": 49.29, "CaO": 0.03}, {"oxygens": 4, "cations": 3}),
    ("garnet (almandine-pyrope)", {"SiO2": 39.0, "Al2O3": 22.0, "FeO": 25.0, "MnO": 0.5, "MgO": 9.0, "CaO": 4.0},
     {"oxygens": 12, "cations": 8}),
    ("augite", {"SiO2": 50.7, "TiO2": 0.74, "Al2O3": 7.9, "Cr2O3": 0.1, "FeO": 6.8, "MnO": 0.13, "MgO": 16.6,
                "CaO": 15.8, "Na2O": 1.3}, {"oxygens": 6, "cations": 4}),
    ("titanomagnetite", {"TiO2": 2.0, "Al2O3": 1.0, "FeO": 88.0, "MgO": 0.5}, {"oxygens": 4, "cations": 3}),
    ("chromite", {"TiO2": 0.5, "Cr2O3": 45.0, "Al2O3": 20.0, "FeO": 20.0, "MgO": 12.0}, {"oxygens": 4, "cations": 3}),
    ("plagioclase An60", {"SiO2": 51.5, "Al2O3": 30.5, "FeO": 0.4, "CaO": 13.2, "Na2O": 3.9, "K2O": 0.1},
     {"oxygens": 8}),
    ("zircon with Hf", {"SiO2": 32.8, "ZrO2": 66.5, "HfO2": 1.2}, {"oxygens": 4}),
    ("basaltic glass with Fe2O3, P2O5, H2O", {"SiO2": 50.8, "TiO2": 1.85, "Al2O3": 13.9, "Fe2O3": 1.5, "FeO": 10.2,
                                             "MnO": 0.2, "MgO": 6.7, "CaO": 11.1, "Na2O": 2.7, "K2O": 0.2,
                                             "P2O5": 0.2, "H2O": 0.5}, None),
    ("cation-poor olivine (Droop clamps to no Fe3+)", {"SiO2": 42.0, "FeO": 9.0, "MgO": 48.0},
     {"oxygens": 4, "cations": 3}),
    ("cation-rich olivine, little Fe (Droop clamps to all Fe3+)", {"SiO2": 38.0, "FeO": 1.0, "MgO": 55.0},
     {"oxygens": 4, "cations": 3}),
]
ELEMENT_CASES = [
    ("Fe-Ni metal", {"Fe": 92.0, "Ni": 7.5, "Co": 0.5}),
    ("pyrite", {"Fe": 46.55, "S": 53.45}),
    ("rare-earth phosphate", {"Y": 8.0, "Gd": 5.0, "Lu": 40.0, "P": 14.0, "O": 33.0}),
    ("zircon as elements", {"Zr": 49.2, "Hf": 1.0, "Si": 15.3, "O": 34.5}),
]


def oxide_route(oxide_wt, weight):
    """Element wt% (O last) and at%, via pymatgen's composition algebra with our molar masses."""
    element_wt = {}
    atoms = Composition()
    for oxide, x in oxide_wt.items():
        counts = Composition(oxide).get_el_amt_dict()
        molar_mass = sum(n * weight[el] for el, n in counts.items())
        for el, n in counts.items():
            element_wt[el] = element_wt.get(el, 0.0) + x * n * weight[el] / molar_mass
        atoms += Composition(counts) * (x / molar_mass)
    element_wt = {k: v for k, v in element_wt.items() if k != "O"} | {"O": element_wt["O"]}
    fractions = atoms.fractional_composition.get_el_amt_dict()
    return element_wt, {el: 100.0 * fractions[el] for el in element_wt}


def element_route(element_wt, weight):
    moles = {el: w / weight[el] for el, w in element_wt.items()}
    total = sum(moles.values())
    return {el: 100.0 * n / total for el, n in moles.items()}


def cation_of(oxide):
    counts = Composition(oxide).get_el_amt_dict()
    (cation,) = [el for el in counts if el != "O"]
    return cation, counts[cation], counts["O"]


def per_oxygens(oxide_wt, weight, oxygens, fe3_ratio=None):
    """apfu on `oxygens` O. fe3_ratio None: oxides as given; else all Fe as FeO plus half an O per Fe3+."""
    cation_moles, oxygen_moles = {}, 0.0
    for oxide, x in oxide_wt.items():
        cation, n_cat, n_o = cation_of(oxide)
        units = x / sum(n * weight[el] for el, n in Composition(oxide).get_el_amt_dict().items())
        cation_moles[cation] = cation_moles.get(cation, 0.0) + units * n_cat
        if fe3_ratio is not None and cation == "Fe":
            oxygen_moles += units * n_cat * (1.0 + fe3_ratio / 2.0)
        else:
            oxygen_moles += units * n_o
    factor = oxygens / oxygen_moles
    return {c: m * factor for c, m in cation_moles.items()}


def droop(oxide_wt, weight, oxygens, cations):
    """Droop (1987): Fe3+ = 2N(1 - T/S) on T cations; clamped to [0, Fe] and recomputed on N O."""
    all_fe2 = per_oxygens(oxide_wt, weight, oxygens, fe3_ratio=0.0)
    s = sum(all_fe2.values())
    fe = all_fe2.get("Fe", 0.0)
    clamp = None
    ratio = 0.0
    if fe > 0:
        fe3 = 2.0 * oxygens * (1.0 - cations / s)
        fe_on_t = fe * cations / s
        ratio = fe3 / fe_on_t
        if ratio < 0:
            ratio, clamp = 0.0, "zero"
        elif ratio > 1:
            ratio, clamp = 1.0, "all"
    apfu = per_oxygens(oxide_wt, weight, oxygens, fe3_ratio=ratio)
    out = {}
    for c, v in apfu.items():
        if c == "Fe":
            out["Fe2+"] = v * (1.0 - ratio)
            out["Fe3+"] = v * ratio
        else:
            out[c] = v
    result = {"apfu": out, "cationSum": sum(apfu.values())}
    if fe > 0:
        result["fe3OverFeTotal"] = ratio
    if clamp:
        result["fe3Clamp"] = clamp
    return result


def weight_differences(elements):
    rows = []
    for e in elements:
        s = e["symbol"]
        pt = float(getattr(periodictable, s).mass)
        pmg = float(Element(s).atomic_mass)
        if e["weight"] is None:
            reason = NO_STANDARD
            if s == "Og" and pmg > 1000:
                reason += f"; pymatgen's {pmg} for Og is a typo in its data (294)"
        elif pt == e["weight"] and pmg == e["weight"]:
            continue
        elif s not in REASONS:
            sys.exit(f"weight of {s} differs (labkit {e['weight']}, periodictable {pt}, pymatgen {pmg}) with no reason recorded")
        else:
            reason = REASONS[s]
        rows.append({"symbol": s, "labkit": e["weight"], "periodictable": pt, "pymatgen": pmg, "reason": reason})
    return rows


def main():
    table = json.load(open(sys.argv[1]))
    weight = {e["symbol"]: e["weight"] for e in table["elements"] if e["weight"] is not None}
    cases = []
    for name, oxide_wt, formula in OXIDE_CASES:
        element_wt, atomic = oxide_route(oxide_wt, weight)
        case = {"name": name, "oxideWt": oxide_wt, "elementWt": element_wt, "atomicPercent": atomic}
        if formula:
            plain = per_oxygens(oxide_wt, weight, formula["oxygens"])
            case["formula"] = {"oxygens": formula["oxygens"], "apfu": plain, "cationSum": sum(plain.values())}
            if "cations" in formula:
                case["droop"] = {"oxygens": formula["oxygens"], "cations": formula["cations"],
                                 **droop(oxide_wt, weight, formula["oxygens"], formula["cations"])}
        cases.append(case)
    for name, element_wt in ELEMENT_CASES:
        cases.append({"name": name, "elementWt": element_wt, "atomicPercent": element_route(element_wt, weight)})
    json.dump({
        "note": "Generated by scripts/reference_fixtures.py; do not edit by hand.",
        "weightsSource": table["source"],
        "weightsUsed": weight,
        "libraries": {"periodictable": periodictable.__version__, "pymatgen": importlib.metadata.version("pymatgen")},
        "weightDifferences": weight_differences(table["elements"]),
        "cases": cases,
    }, sys.stdout, indent=1)
    sys.stdout.write("\n")


if __name__ == "__main__":
    main()
