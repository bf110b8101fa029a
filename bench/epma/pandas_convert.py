#!/usr/bin/env python3
"""The reference for `labkit epma convert` in bench/epma: the same conversion with pandas + numpy.

Reads an oxide wt% CSV, treats below-detection markers and negatives as 0 (labkit's default
policy) and flags them, converts to at% with the CIAAW 2021 weights, keeps the Total column, flags
totals outside 98-102 and writes CSV at full precision.
Usage: pandas_convert.py INPUT.csv OUTPUT.csv
"""
import sys

import numpy as np
import pandas as pd

A = {'O': 15.999, 'Na': 22.98976928, 'Mg': 24.305, 'Al': 26.9815384, 'Si': 28.085, 'K': 39.0983,
     'Ca': 40.078, 'Ti': 47.867, 'Cr': 51.9961, 'Mn': 54.938043, 'Fe': 55.845, 'Ni': 58.6934}
OXIDES = {'SiO2': ('Si', 1, 2), 'TiO2': ('Ti', 1, 2), 'Al2O3': ('Al', 2, 3), 'Cr2O3': ('Cr', 2, 3),
          'FeO': ('Fe', 1, 1), 'MnO': ('Mn', 1, 1), 'MgO': ('Mg', 1, 1), 'CaO': ('Ca', 1, 1),
          'Na2O': ('Na', 2, 1), 'K2O': ('K', 2, 1), 'NiO': ('Ni', 1, 1)}


def main(src, dst):
    df = pd.read_csv(src, dtype=str, keep_default_na=False)
    oxides = [c for c in df.columns if c in OXIDES]
    passthrough = [c for c in df.columns if c not in OXIDES and c != 'Total']
    elements = list(dict.fromkeys(OXIDES[o][0] for o in oxides)) + ['O']
    moles = {e: np.zeros(len(df)) for e in elements}
    flags = np.full(len(df), '', dtype=object)
    wt_sum = np.zeros(len(df))
    for ox in oxides:
        values = pd.to_numeric(df[ox], errors='coerce').to_numpy()
        touched = np.isnan(values) | (values < 0)
        if touched.any():
            text = df[ox].to_numpy()
            flags[touched] = flags[touched] + np.where(flags[touched] == '', '', '; ') + ox + ' (' + text[touched] + ') -> 0'
        values = np.where(touched, 0.0, values)
        cation, n, o = OXIDES[ox]
        mass = n * A[cation] + o * A['O']
        moles[cation] += values * n / mass
        moles['O'] += values * o / mass
        wt_sum += values
    total_moles = sum(moles.values())
    out = df[passthrough].copy()
    for e in elements:
        out[f'{e} at%'] = 100 * moles[e] / total_moles
    total = pd.to_numeric(df['Total'], errors='coerce').to_numpy() if 'Total' in df.columns else wt_sum
    out['Total wt%'] = total
    outside = (total < 98) | (total > 102)
    window = np.char.add(np.char.add('total ', np.char.mod('%.2f', total)), ' outside 98-102').astype(object)
    flags[outside] = flags[outside] + np.where(flags[outside] == '', '', '; ') + window[outside]
    out['flags'] = flags
    out.to_csv(dst, index=False)


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2])
