"""Energy and tempo arcs: "build up", "wind down", "peak in the middle", in six languages.

Four readings, most specific first: fixed phrases ("start slow", "getting quieter",
"cada vez más rápido"); a subject with a direction verb ("tempo dropping", "die Energie soll
steigen"); start/end constructions ("empezar fuerte y terminar suave", "calm at the end");
and "more and more <adjective>" ("de plus en plus calme", "sempre più tranquillo").
Tempo words make the arc move BPM instead of energy.
"""

from __future__ import annotations

from typing import Any

from aidj.intent import EnergyArc
from aidj.text import Tokens, longest_first

_ARC_PHRASES: dict[EnergyArc, tuple[str, ...]] = {
    EnergyArc.BUILD_UP: (
        "build up", "builds up", "building up", "build-up", "buildup", "start slow", "starts slow",
        "starting slow", "start calm", "start quiet", "start soft", "start off slow", "warm up",
        "warming up", "crescendo", "ramp up", "ramping up", "getting faster", "getting louder",
        "more and more", "increasing energy", "big finish", "rising", "gradually", "escalate",
        "de menos a mas", "cada vez mas rapido", "cada vez mas fuerte", "ir subiendo", "subiendo",
        "empezar tranquilo", "empezar suave", "empezar lento", "in crescendo", "comecar devagar",
        "comecar calmo", "cada vez mais rapido", "cada vez mais forte", "aumentando", "crescente",
        "monter en puissance", "montee en puissance", "commencer doucement",
        "monte en puissance", "steigern", "steigernd", "steigerung", "langsam anfangen",
        "immer schneller", "immer lauter", "aufbauen", "sempre piu veloce", "sempre piu forte",
        "iniziare piano", "cominciare piano", "a salire", "in salita", "faster and faster", "speed up",
        "speeding up", "end with a bang", "ends with a bang", "start calm", "start chill", "start easy",
        "comeca calmo", "comeca devagar", "empieza tranquilo", "empieza suave", "commence doucement",
        "fangt ruhig an", "ruhig anfangen", "inizia piano", "de plus en plus vite", "louder and louder",
        "ramp up the energy", "ramp up the tempo", "ir aumentando el ritmo", "aumentando el ritmo",
        "subiendo el ritmo", "aumentar el ritmo", "aumentando o ritmo", "aumentar o ritmo", "acelerando o ritmo",
        "accelerer le rythme", "tempo steigern", "immer mehr tempo", "aumentare il ritmo", "aumentando il ritmo",
        "increase the tempo", "increasing tempo", "pick up the pace", "picking up the pace", "aufwarmen",
        "zum aufwarmen", "warm-up", "echauffement", "riscaldamento", "calentamiento", "aquecimento",
    ),
    EnergyArc.WIND_DOWN: (
        "wind down", "winding down", "winds down", "cool down", "cooldown", "cool-down",
        "getting quieter", "getting calmer", "getting slower", "calmer and calmer", "come down",
        "comedown", "slowing down", "slow down", "fade out", "ending calm", "end calm", "end slow",
        "cada vez mas tranquilo", "cada vez mas tranquila", "cada vez mas suave", "cada vez mas lento",
        "bajar el ritmo", "bajando", "para bajar", "desacelerar", "cada vez mais calmo",
        "cada vez mais calma", "cada vez mais lento", "diminuindo", "de plus en plus calme",
        "de plus en plus doux", "redescendre", "ralentir", "ausklingen", "runterkommen",
        "immer ruhiger", "immer langsamer", "herunterfahren", "abkuhlen", "sempre piu calmo",
        "sempre piu calma", "sempre piu lento", "rallentare", "defaticamento", "a scendere",
        "slower and slower", "quieter and quieter", "calmer and calmer", "softer and softer", "vai acalmando",
        "acalmando", "comeca animado", "empieza animado", "commence fort", "fangt laut an", "inizia forte",
        "de plus en plus calme", "de plus en plus doux", "de plus en plus lent", "pour finir la soiree",
        "end the night", "to end the night", "para terminar la noche", "pra fechar a noite",
    ),
    EnergyArc.PEAK: (
        "peak in the middle", "peak", "rise and fall", "up and down", "climax", "journey", "arc",
        "subir y bajar", "subir e descer", "monter puis redescendre", "hohepunkt", "auf und ab",
        "picco", "culmine",
    ),
}
_TEMPO_UP = {"faster", "quicker", "rapido", "rapida", "rapidos", "rapidas", "rapide", "rapides", "veloces", "schneller", "veloce",
             "veloci", "acelerado", "speedier", "aumentando", "acelerando", "accelerando", "accelerer"}
_TEMPO_DOWN = {"slower", "lento", "lenta", "lentos", "lentas", "lent", "lente", "langsamer", "langsam", "piu lento",
               "slow", "devagar"}
_CALMING = {"calm", "calmer", "calminha", "calminho", "tranqui", "tranquilito", "tranquilinho", "suavecito",
            "suavinho", "chilled", "chillen", "chilling", "slow", "lento", "lenta", "sanft", "leise", "quieter", "softer", "tranquilo", "tranquila", "tranquillo", "tranquilla", "calmo",
            "calma", "calme", "doux", "douce", "ruhiger", "ruhig", "leiser", "suave", "suaves", "relaxed", "chill",
            "chiller", "mellower", "sanfter", "entspannter", "dolce", "rilassato", "rilassata", "relajado",
            "relaxado", "soft", "quiet", "acalmando", "acalmar", "calmando", "sereno", "serena", "tenue"}
_ENERGISING = {"hard", "strong", "loud", "duro", "fuerte", "forte", "fort", "laut", "hart", "wild", "bang",
               "energy", "energia", "energie", "pesado", "intense", "intenso", "intensa", "louder", "energetic", "energico", "energica", "energique",
               "fort", "forte", "fuerte", "lauter", "harder", "wilder", "animado", "animada", "heavier", "upbeat",
               "intensiver", "energiegeladener", "potente", "agitado", "agitada", "animato", "carico"}
_MORE_AND_MORE = longest_first((
    "more and more", "getting", "increasingly", "ever", "cada vez mas", "cada vez mais", "de plus en plus",
    "immer", "sempre piu", "vai ficando", "va", "vai", "se vuelve", "diventa", "wird",
    # "little by little": gradually becoming
    "gradually", "nach und nach", "allmahlich", "poco a poco", "aos poucos", "pouco a pouco",
    "peu a peu", "petit a petit", "man mano",
))


_TEMPO_SUBJECTS = {"tempo", "bpm", "ritmo", "rythme", "rhythm", "pace", "speed", "velocidad", "velocidade", "vitesse",
                   "geschwindigkeit", "velocita", "cadence", "cadencia", "cadenza"}
_ENERGY_SUBJECTS = {"energy", "energia", "energie", "intensity", "intensidad", "intensidade", "intensite",
                    "intensitat", "intensita", "vibe", "mood"}
_RISING = {"rising", "rises", "rise", "increasing", "increases", "increase", "climbing", "climbs", "climb", "grows",
           "growing", "building", "builds", "accelerates", "accelerating", "sube", "subiendo", "aumenta",
           "aumentando", "crece", "creciendo", "sobe", "subindo", "cresce", "crescendo", "aumentar", "monte",
           "augmente", "accelere", "acceleration", "steigt", "steigen", "steigend", "steigert", "zunehmend", "wachst",
           "sale", "salire", "cresca", "aumentare", "up", "higher", "rauf"}
_FALLING = {"dropping", "drops", "drop", "falling", "falls", "fall", "decreasing", "decreases", "decrease",
            "slowing", "fading", "fades", "lowering", "baja", "bajando", "disminuye", "disminuyendo", "cae",
            "cayendo", "desce", "descendo", "diminui", "diminuindo", "cai", "baisse", "descend", "ralentit",
            "diminue", "sinkt", "sinken", "sinkend", "fallt", "abnehmend", "nimmt ab", "scende", "scendere",
            "diminuisce", "cala", "calare", "rallenta", "down", "lower", "runter"}
_START_WORDS = {"start", "starts", "begin", "begins", "open", "opening", "empezar", "empieza", "comenzar",
                "comienza", "comecar", "comeca", "commencer", "commence", "anfangen", "fangt", "beginnen",
                "beginnt", "starten", "iniziare", "inizia", "cominciare", "comincia", "partire", "parte"}
_END_WORDS = {"end", "ends", "ending", "finish", "finishes", "close", "closing", "terminar", "termina", "acabar",
              "acaba", "final", "finir", "finit", "terminer", "enden", "endet", "schluss", "ende", "finire",
              "finisce", "chiudere", "fine", "fim"}
_END_PHRASES = {"at the", "no final", "al final", "a la", "am ende", "alla fine", "zum schluss"}


def _direction(word: str) -> tuple[EnergyArc, str | None] | None:
    if word in _TEMPO_UP:
        return EnergyArc.BUILD_UP, "tempo"
    if word in _TEMPO_DOWN:
        return EnergyArc.WIND_DOWN, "tempo"
    if word in _CALMING:
        return EnergyArc.WIND_DOWN, None
    if word in _ENERGISING:
        return EnergyArc.BUILD_UP, None
    return None


_TEMPO_ARC_PHRASES = {"ramp up the tempo", "ir aumentando el ritmo", "aumentando el ritmo", "subiendo el ritmo",
                      "aumentar el ritmo", "aumentando o ritmo", "aumentar o ritmo", "acelerando o ritmo",
                      "accelerer le rythme", "tempo steigern", "immer mehr tempo", "aumentare il ritmo",
                      "aumentando il ritmo", "increase the tempo", "increasing tempo", "pick up the pace",
                      "picking up the pace","getting faster", "getting slower", "slowing down", "slow down", "cada vez mas rapido",
                      "cada vez mas lento", "cada vez mais rapido", "cada vez mais lento", "immer schneller",
                      "immer langsamer", "sempre piu veloce", "sempre piu lento", "faster and faster",
                      "slower and slower", "speed up", "speeding up", "ralentir", "rallentare", "de plus en plus vite",
                      "de plus en plus lent"}
_ARC_TABLE = sorted(
    ((p, arc, "tempo" if p in _TEMPO_ARC_PHRASES else None) for arc, ps in _ARC_PHRASES.items() for p in ps),
    key=lambda t: (-len(t[0].split()), -len(t[0])),
)


def read_arc(tokens: Tokens, out: dict[str, Any]) -> None:
    """Set ``arc`` (and ``arc_by`` when the tempo, not the energy, should move)."""
    for phrase, arc, by in _ARC_TABLE:
        if tokens.take(phrase) >= 0:
            out.setdefault("arc", arc.value)
            if by:
                out.setdefault("arc_by", by)
    # "empezar fuerte y terminar suave", "calm at the end", "start hard then chill"
    if "arc" not in out:
        for i, word in enumerate(tokens.folded):
            near = [d for w in tokens.folded[max(0, i - 2) : i + 3] if (d := _direction(w)) is not None]
            if not near:
                continue
            arc, by = near[0]
            if word in _START_WORDS:
                flipped = EnergyArc.WIND_DOWN if arc == EnergyArc.BUILD_UP else EnergyArc.BUILD_UP
                out["arc"], by = flipped.value, by
            elif word in _END_WORDS or (i + 1 < len(tokens.folded) and f"{word} {tokens.folded[i + 1]}" in _END_PHRASES):
                out["arc"] = arc.value
            else:
                continue
            if by:
                out["arc_by"] = by
            break
    # "tempo dropping song by song", "le tempo accélère", "die Energie soll stetig steigen"
    for i, word in enumerate(tokens.folded):
        subject = "tempo" if word in _TEMPO_SUBJECTS else "energy" if word in _ENERGY_SUBJECTS else None
        if subject is None:
            continue
        for k in range(max(0, i - 3), min(len(tokens.folded), i + 4)):
            verb = tokens.folded[k]
            way = EnergyArc.BUILD_UP if verb in _RISING else EnergyArc.WIND_DOWN if verb in _FALLING else None
            if way is not None:
                out["arc"], out["arc_by"] = way.value, subject
                tokens.consume(min(i, k), max(i, k) + 1)
                break
        if "arc_by" in out:
            break
    # "cada vez más rápido", "de plus en plus calme", "immer ruhiger", "sempre più tranquillo"
    for marker in _MORE_AND_MORE:
        i = tokens.find(marker)
        if i < 0:
            continue
        j = i + len(marker.split())
        for k in range(j, min(j + 2, len(tokens.folded))):
            direction = _direction(tokens.folded[k])
            if direction is not None:
                arc, by = direction
                out.setdefault("arc", arc.value)
                if by:
                    out.setdefault("arc_by", by)
                tokens.consume(i, k + 1)
                break
