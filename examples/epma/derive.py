#!/usr/bin/env python3
"""Derives the computed example files from the published oxide analyses listed in README.md.

Element wt% (element-wt.csv) and total iron as FeO (pyroxene-feot.csv) are computed here,
independently of labkit, with the CIAAW 2021 standard atomic weights (conventional values where
CIAAW gives an interval). Run: python3 examples/epma/derive.py
"""
import csv
from pathlib import Path

A = {'O': 15.999, 'Na': 22.98976928, 'Mg': 24.305, 'Al': 26.9815384, 'Si': 28.085, 'K': 39.0983,
     'Ca': 40.078, 'Ti': 47.867, 'Cr': 51.9961, 'Mn': 54.938043, 'Fe': 55.845, 'Ni': 58.6934, 'H': 1.008,
     'P': 30.973761998}
# oxide -> (cation, cations per formula, oxygens per formula)
OXIDES = {'SiO2': ('Si', 1, 2), 'TiO2': ('Ti', 1, 2), 'Al2O3': ('Al', 2, 3), 'Cr2O3': ('Cr', 2, 3),
          'Fe2O3': ('Fe', 2, 3), 'FeO': ('Fe', 1, 1), 'MnO': ('Mn', 1, 1), 'MgO': ('Mg', 1, 1),
          'CaO': ('Ca', 1, 1), 'Na2O': ('Na', 2, 1), 'K2O': ('K', 2, 1), 'NiO': ('Ni', 1, 1)}

# Smithsonian Microbeam Standards datasheets (NMNH, updated 15 Feb 2019); Jarosewich et al. (1980).
ANORTHITE = {'SiO2': 44.00, 'Al2O3': 36.03, 'FeO': 0.62, 'CaO': 19.09, 'Na2O': 0.53, 'K2O': 0.03, 'TiO2': 0.03}
KAKANUI_AUGITE = {'SiO2': 50.73, 'TiO2': 0.74, 'Al2O3': 7.86, 'Fe2O3': 3.69, 'FeO': 3.45, 'MnO': 0.13,
                  'MgO': 16.65, 'CaO': 15.82, 'Na2O': 1.27}
CR_AUGITE = {'SiO2': 50.48, 'TiO2': 0.51, 'Al2O3': 8.03, 'Cr2O3': 0.85, 'Fe2O3': 1.04, 'FeO': 3.77,
             'MnO': 0.12, 'MgO': 17.32, 'CaO': 17.30, 'Na2O': 0.84}


def molar_mass(oxide):
    cation, n, o = OXIDES[oxide]
    return n * A[cation] + o * A['O']


def element_wt(oxides):
    out = {}
    for oxide, w in oxides.items():
        cation, n, o = OXIDES[oxide]
        m = molar_mass(oxide)
        out[cation] = out.get(cation, 0.0) + w * n * A[cation] / m
        out['O'] = out.get('O', 0.0) + w * o * A['O'] / m
    return out


def feo_total(oxides):
    """FeO + Fe2O3 recast as FeO (2 FeO per Fe2O3)."""
    return oxides.get('FeO', 0.0) + oxides.get('Fe2O3', 0.0) * 2 * molar_mass('FeO') / molar_mass('Fe2O3')


here = Path(__file__).parent
elements = ['Si', 'Ti', 'Al', 'Fe', 'Mn', 'Mg', 'Ca', 'Na', 'K', 'O']
with open(here / 'element-wt.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    w.writerow(['Sample', *[f'{e} wt%' for e in elements], 'Total'])
    for name, ox in [('Anorthite NMNH 137041', ANORTHITE), ('Kakanui augite NMNH 122142', KAKANUI_AUGITE)]:
        el = element_wt(ox)
        cells = [f'{el.get(e, 0.0):.3f}' for e in elements]
        if name.startswith('Anorthite'):
            # The datasheet gives MgO < 0.02 (Mg < 0.012) and no MnO: written as an EPMA export would.
            cells[elements.index('Mg')] = '<0.012'
            cells[elements.index('Mn')] = 'n.d.'
        w.writerow([name, *cells, f'{sum(ox.values()):.2f}'])

with open(here / 'pyroxene-feot.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    cols = ['SiO2', 'TiO2', 'Al2O3', 'Cr2O3', 'FeOt', 'MnO', 'MgO', 'CaO', 'Na2O']
    w.writerow(['Sample', *cols, 'Total'])
    for name, ox in [('Kakanui augite NMNH 122142', KAKANUI_AUGITE), ('Chromium augite NMNH 164905', CR_AUGITE)]:
        row = {**ox, 'FeOt': feo_total(ox)}
        vals = [row.get(c, 0.0) for c in cols]
        w.writerow([name, *[f'{v:.2f}' for v in vals], f'{sum(vals):.2f}'])
        fe3 = 2 * ox['Fe2O3'] / molar_mass('Fe2O3')
        fe2 = ox['FeO'] / molar_mass('FeO')
        print(f'{name}: wet-chemical Fe3+/sum Fe = {fe3 / (fe3 + fe2):.4f}')


def oxide_wt(formula_units):
    """wt% of each oxide for a formula given as {oxide: formula units}; FeOt counts as FeO."""
    mass = {ox: n * molar_mass('FeO' if ox == 'FeOt' else ox) for ox, n in formula_units.items()}
    total = sum(mass.values())
    return {ox: 100 * m / total for ox, m in mass.items()}


with open(here / 'olivine-oxides.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    cols = ['SiO2', 'FeO', 'MnO', 'MgO', 'NiO']
    w.writerow(['Point', 'Sample', *cols, 'Total'])
    # Jarosewich et al. (1980), San Carlos olivine NMNH 111312/444.
    san_carlos = {'SiO2': 40.81, 'FeO': 9.55, 'MnO': 0.14, 'MgO': 49.42, 'NiO': 0.37}
    w.writerow([1, 'San Carlos olivine NMNH 111312/444', *[f'{san_carlos[c]:.2f}' for c in cols], f'{sum(san_carlos.values()):.2f}'])
    for point, (name, units) in enumerate([
        ('ideal Fo90 (Mg1.8Fe0.2SiO4, computed)', {'SiO2': 1, 'FeO': 0.2, 'MgO': 1.8}),
        ('ideal forsterite (Mg2SiO4, computed)', {'SiO2': 1, 'MgO': 2}),
    ], start=2):
        ox = oxide_wt(units)
        w.writerow([point, name, *[f'{ox[c]:.3f}' if c in ox else 'bdl' for c in cols], f'{sum(ox.values()):.2f}'])

with open(here / 'spinel-oxides.csv', 'w', newline='') as f:
    w = csv.writer(f, lineterminator='\n')
    cols = ['Al2O3', 'Cr2O3', 'FeOt', 'MgO']
    w.writerow(['Sample', *cols, 'Total'])
    # Stoichiometric end-members, all Fe reported as FeO as EPMA does: magnetite Fe2+Fe3+2O4,
    # chromite Fe2+Cr2O4, spinel MgAl2O4, magnesioferrite MgFe3+2O4.
    for name, units in [
        ('magnetite Fe3O4 (computed)', {'FeOt': 3}),
        ('chromite FeCr2O4 (computed)', {'FeOt': 1, 'Cr2O3': 1}),
        ('spinel MgAl2O4 (computed)', {'MgO': 1, 'Al2O3': 1}),
        ('magnesioferrite MgFe2O4 (computed)', {'MgO': 1, 'FeOt': 2}),
    ]:
        # Analysed wt%: the oxide masses of one formula unit (Fe as FeO) per 100 g of the real mineral.
        fe3_per_fu = {'magnetite': 2, 'magnesioferrite': 2}.get(name.split()[0], 0)
        mineral_mass = sum(n * molar_mass('FeO' if ox == 'FeOt' else ox) for ox, n in units.items()) + fe3_per_fu * A['O'] / 2
        vals = {ox: 100 * n * molar_mass('FeO' if ox == 'FeOt' else ox) / mineral_mass for ox, n in units.items()}
        w.writerow([name, *[f'{vals[c]:.3f}' if c in vals else '0' for c in cols], f'{sum(vals.values()):.2f}'])
