"""Category dictionaries: reading them and matching them in parsed texts.

Two stages, one module each:

* :mod:`analysis.dictionaries.formats` -- the file formats (quanteda-style YAML, LIWC ``.dic``,
  TSV/CSV ``category, pattern`` tables) read into a :class:`Dictionary`, every malformed line
  a :class:`DictionaryError` naming file and line;
* :mod:`analysis.dictionaries.matcher` -- all patterns compiled into one matcher
  (:func:`compile_dictionaries`) that finds :class:`Match` es in a spaCy doc.

The names below are re-exported so that ``from analysis.dictionaries import X`` works for both.

Examples
--------
>>> from analysis.dictionaries import compile_dictionaries, parse_yaml
>>> d = parse_yaml("economy: [tariff*, free trade]", "my.yml")
>>> [p.text for p in d.categories["economy"]]
['tariff*', 'free trade']
>>> matcher = compile_dictionaries([d])  # doctest: +SKIP
"""

from .formats import (WILDCARD, Dictionary, DictionaryError, Pattern, check_pattern,
                      load_dictionary, normalise_key, parse_dictionary, parse_liwc, parse_table,
                      parse_yaml)
from .matcher import CompiledDictionaries, Match, compile_dictionaries, token_keys

__all__ = ["DictionaryError", "Pattern", "Dictionary", "load_dictionary", "parse_dictionary",
           "parse_yaml", "parse_liwc", "parse_table", "normalise_key", "check_pattern",
           "WILDCARD", "CompiledDictionaries", "Match", "compile_dictionaries", "token_keys"]
