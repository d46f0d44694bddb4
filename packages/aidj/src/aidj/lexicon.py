"""Moods and activities people ask for, in six languages, and what they mean musically.

Each :class:`Concept` carries the words that trigger it (accent-folded, lowercase, matched
as whole words or phrases) and the audio-feature settings it implies. ``description`` is an
English sentence used by the embedding matcher when no word matched.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True, slots=True)
class Concept:
    name: str
    words: tuple[str, ...]
    settings: dict[str, Any]
    description: str
    genres: tuple[str, ...] = field(default=())  # only used when the prompt names no genre
    weight: float = 1.0  # how strongly its settings pull when several concepts are mentioned


CONCEPTS: tuple[Concept, ...] = (
    Concept(
        "workout",
        (
            "workout", "work out", "working out", "gym", "training", "train", "exercise", "fitness",
            "lifting", "weightlifting", "crossfit", "cardio", "hiit", "pump", "beast mode", "pump up",
            "pump-up", "pumped up", "hype up", "psych up", "game day", "before the game", "before a game",
            "basketball", "football", "soccer", "match day", "big game", "partido", "jogo", "futebol",
            "fussball", "fussballspiel", "partita", "calcio", "boxing", "boxeo", "boxe",
            "entrenar", "entrenamiento", "ejercicio", "gimnasio", "gimnasia", "pesas",
            "treino", "treinar", "academia", "malhar", "malhacao", "exercicio",
            "entrainement", "muscu", "musculation", "salle de sport", "sport",
            "fitnessstudio", "krafttraining", "trainieren",
            "allenamento", "palestra", "allenarsi",
        ),
        {"energy": 0.85, "danceability": 0.68, "valence": 0.6, "tempo": 128, "mood": "energetic"},
        "high energy music for a workout at the gym",
        weight=2,
    ),
    Concept(
        "running",
        ("running", "run", "jogging", "jog", "marathon", "correr", "corrida", "courir", "course a pied",
         "laufen", "joggen", "correre", "corsa"),
        {"energy": 0.85, "danceability": 0.65, "valence": 0.6, "tempo": 165, "tempo_min": 150, "tempo_max": 185,
         "mood": "driving"},
        "fast steady music for running",
        weight=2,
    ),
    Concept(
        "cycling",
        ("spinning", "cycling", "indoor cycling", "bike", "ciclismo", "velo", "radfahren", "bici"),
        {"energy": 0.82, "danceability": 0.65, "mood": "driving"},
        "driving music for a spinning or cycling class",
    ),
    Concept(
        "sleep",
        ("sleep", "sleeping", "asleep", "bedtime", "insomnia", "fall asleep", "dormir", "sueno",
         "dormindo", "sono", "nuit calme", "sommeil", "endormir", "schlafen", "einschlafen", "schlaf",
         "dormire", "addormentarsi", "nanna", "ninar"),
        {"energy": 0.12, "acousticness": 0.85, "instrumentalness": 0.6, "valence": 0.25, "danceability": 0.3,
         "speechiness": 0.04, "tempo": 75, "mood": "sleepy"},
        "very quiet soft music to fall asleep",
        ("sleep", "ambient", "new-age", "piano", "classical"),
        weight=3,
    ),
    Concept(
        "study",
        ("study", "studying", "homework", "exam", "exams", "reading", "read", "focus", "focused",
         "concentrate", "concentration", "concentrating", "deep work", "coding", "programming",
         "estudiar", "estudio", "concentrarse", "concentracion", "leer", "lectura",
         "estudar", "estudando", "concentrar", "leitura", "foco",
         "etudier", "etude", "reviser", "revisions", "lire", "lecture",
         "lernen", "konzentration", "konzentrieren", "hausaufgaben", "lesen",
         "studiare", "studio", "concentrarsi", "concentrazione", "leggere", "lettura"),
        {"energy": 0.3, "speechiness": 0.04, "instrumentalness": 0.7, "valence": 0.4, "acousticness": 0.6,
         "mood": "focused"},
        "calm instrumental background music for studying and concentration",
        ("study", "piano", "classical", "ambient", "chill"),
    ),
    Concept(
        "work",
        ("office", "at work", "working", "workday", "oficina", "trabajar", "trabajo", "escritorio",
         "escritorio", "trabalho", "trabalhar", "bureau", "travail", "travailler", "buro", "arbeit",
         "arbeiten", "ufficio", "lavoro", "lavorare"),
        {"energy": 0.5, "speechiness": 0.08, "valence": 0.55, "mood": "productive"},
        "pleasant unobtrusive music for working at the office",
    ),
    Concept(
        "party",
        ("party", "parties", "partying", "dancefloor", "dance floor", "club night", "rave", "festa",
         "fiesta", "fete", "soiree", "feiern", "partymusik", "party musik", "tanzen", "ballare",
         "bailar", "dancar", "danser", "danse", "festival", "pregame", "pre party", "boate", "baladinha",
         "discoteca", "discotheque", "boite", "disko", "baile", "pancadao", "baile funk", "house party",
         "houseparty", "boum"),
        {"energy": 0.82, "danceability": 0.78, "valence": 0.65, "tempo": 122, "popularity": 60, "mood": "party"},
        "upbeat dance music for a party",
        weight=2,
    ),
    Concept(
        "happy",
        ("happy", "happiness", "joy", "joyful", "cheerful", "cheer", "bright", "sunny", "feel good",
         "feel-good", "good vibes", "good mood", "positive", "uplifting", "optimistic", "fun",
         "feliz", "felices", "alegre", "alegres", "alegria", "animado", "animada", "buen rollo",
         "contento", "positivo", "positiva", "felicidade", "feliz da vida", "heureux", "heureuse",
         "joyeux", "joyeuse", "joie", "gai", "bonne humeur", "glucklich", "frohlich", "frohe",
         "gute laune", "freude", "heiter", "felice", "felici", "allegro", "allegra", "allegria",
         "buonumore", "solare", "gioioso"),
        {"valence": 0.8, "energy": 0.65, "mood": "happy"},
        "happy cheerful feel-good songs",
        weight=2,
    ),
    Concept(
        "sad",
        ("sad", "sadness", "melancholy", "melancholic", "heartbreak", "heartbroken", "broken heart",
         "breakup", "break up", "crying", "cry", "tears", "lonely", "loneliness", "depressing",
         "depressed", "grief", "miss you", "blue", "gloomy",
         "triste", "tristes", "tristeza", "melancolia", "melancolico", "desamor", "corazon roto",
         "llorar", "ruptura", "saudade", "sofrencia", "dor de cotovelo", "coracao partido", "chorar",
         "separacao", "chagrin", "rupture", "pleurer", "melancolie", "peine de coeur", "coeur brise",
         "traurig", "trauer", "liebeskummer", "herzschmerz", "weinen", "melancholie", "trennung",
         "tristezza", "tristi", "malinconia", "malinconiche", "malinconici", "malinconico", "cuore spezzato", "piangere", "rottura"),
        {"valence": 0.2, "energy": 0.35, "danceability": 0.45, "mood": "sad"},
        "sad heartbreak songs after a breakup",
        weight=2,
    ),
    Concept(
        "calm",
        ("calm", "calming", "relax", "relaxing", "relaxed", "chill", "chilled", "chilling", "mellow",
         "peaceful", "quiet", "soft", "gentle", "soothing", "easy listening", "unwind", "lazy",
         "tranquilo", "tranquila", "tranquilas", "tranquilos", "relajante", "relajarse", "calma",
         "suave", "suaves", "sosegado", "tranqui", "tranquis", "calminha", "calminho", "tranquilinho", "tranquilidade", "relaxar", "relaxante", "calmo", "calme",
         "calmes", "detente", "apaisant", "doux", "douce", "douces", "reposant", "ruhig", "ruhige",
         "entspannt", "entspannend", "entspannen", "entspannung", "sanft", "gemutlich", "leise",
         "tranquillo", "tranquilla", "rilassante", "rilassarsi", "calmo", "dolce", "pacifico"),
        {"energy": 0.28, "valence": 0.45, "acousticness": 0.6, "danceability": 0.45, "mood": "calm"},
        "calm relaxing quiet chill music",
        weight=2,
    ),
    Concept(
        "background",
        ("background", "ambient music", "de fondo", "de fundo", "musique de fond", "fond sonore",
         "hintergrund", "hintergrundmusik", "sottofondo", "di sottofondo"),
        {"energy": 0.35, "speechiness": 0.05, "mood": "background"},
        "unobtrusive background music",
    ),
    Concept(
        "romantic",
        ("romantic", "romance", "love songs", "love song", "in love", "date night", "candlelight",
         "valentine", "valentines", "sensual", "intimate", "romantico", "romantica", "romanticas",
         "romanticos", "canciones de amor", "amor", "enamorados", "cita", "romantique", "amoureux",
         "chansons d'amour", "st valentin", "saint valentin", "romantisch", "liebeslieder", "liebe",
         "verliebt", "romantiche", "romantici", "canzoni d'amore", "innamorati", "cancoes de amor",
         "apaixonado", "namorados", "ballad", "ballads", "power ballads", "baladas", "balada romantica",
         "ballade", "ballades", "balladen", "ballate", "love"),
        {"energy": 0.4, "valence": 0.5, "acousticness": 0.5, "danceability": 0.55, "mood": "romantic"},
        "romantic love songs for a date night",
        weight=2,
    ),
    Concept(
        "dinner",
        ("dinner", "dinner party", "cooking", "restaurant", "cafe", "coffee", "coffee shop",
         "wine", "cena", "cenar", "cocinar", "jantar", "cozinhar", "almoco", "diner", "cuisine",
         "cuisiner", "apero", "aperitif", "abendessen", "kochen", "essen", "abendbrot", "cucinare",
         "aperitivo", "pranzo"),
        {"energy": 0.38, "valence": 0.55, "acousticness": 0.55, "speechiness": 0.05, "mood": "warm"},
        "warm relaxed music for a dinner with friends",
        ("jazz", "soul", "mpb", "acoustic", "blues"),
    ),
    Concept(
        "road trip",
        ("road trip", "roadtrip", "driving", "drive", "car", "highway", "viaje", "viaje en coche",
         "coche", "carretera", "conducir", "manejar", "viagem", "carro", "estrada", "dirigir",
         "voyage", "voiture", "route", "conduire", "autofahrt", "autofahren", "reise", "fahren",
         "auto", "viaggio", "macchina", "guidare", "strada"),
        {"energy": 0.72, "valence": 0.65, "danceability": 0.58, "popularity": 55, "mood": "upbeat"},
        "upbeat sing-along songs for a road trip in the car",
    ),
    Concept(
        "meditation",
        ("meditation", "meditate", "meditating", "yoga", "mindfulness", "breathing", "spa", "zen",
         "meditacion", "meditar", "meditacao", "meditation guidee", "mediter", "meditieren",
         "achtsamkeit", "meditazione", "meditare", "reiki", "massage", "masaje", "massagem"),
        {"energy": 0.12, "instrumentalness": 0.8, "acousticness": 0.8, "speechiness": 0.04, "valence": 0.3,
         "tempo": 70, "mood": "meditative"},
        "ambient instrumental music for yoga and meditation",
        ("ambient", "new-age", "sleep", "classical", "piano"),
        weight=3,
    ),
    Concept(
        "energetic",
        ("energetic", "energy", "high energy", "pumped", "hype", "intense", "powerful", "loud", "hard",
         "aggressive", "adrenaline", "banger", "bangers", "stay awake", "keep me awake", "wake me up",
         "wach bleiben", "despierto", "despierta", "acordado", "acordada", "sveglio", "sveglia", "eveille", "energia", "energica", "energico",
         "energizante", "animada", "intenso", "intensa", "fuerte", "energetico", "agitada", "agitado",
         "energique", "puissant", "energie", "energiegeladen", "kraftvoll", "laut", "energetica", "harte",
         "hart", "heftig", "heftige", "duro", "duros", "pesado", "pesada", "pesadas", "brutale",
         "carica", "carico", "potente", "grinta"),
        {"energy": 0.88, "valence": 0.55, "mood": "energetic"},
        "loud intense high energy music",
        weight=3,
    ),
    Concept(
        "upbeat",
        ("upbeat", "groovy", "bouncy", "lively", "catchy", "dance", "dancing", "danceable", "bailable",
         "bailables", "para bailar", "dancante", "dancantes", "pra dancar", "dansant", "dansante",
         "tanzbar", "ballabile", "ballabili", "movida", "movido", "animadas", "pegadizas"),
        {"energy": 0.75, "danceability": 0.75, "valence": 0.7, "mood": "upbeat"},
        "upbeat danceable groovy songs",
        weight=2,
    ),
    Concept(
        "dark",
        ("dark", "darkness", "moody", "brooding", "eerie", "spooky", "halloween", "ominous", "gothic mood",
         "oscuro", "oscura", "sombrio", "sombria", "sombre", "obscur", "dunkel", "dustere", "duster",
         "cupo", "oscuro", "inquietante"),
        {"valence": 0.25, "mode": None, "mood": "dark"},
        "dark moody brooding music",
        weight=2,
    ),
    Concept(
        "angry",
        ("angry", "anger", "rage", "furious", "mad", "enojado", "rabia", "furia", "raiva", "colere",
         "rage", "wut", "wutend", "rabbia", "arrabbiato"),
        {"energy": 0.9, "valence": 0.3, "mood": "angry"},
        "angry aggressive music to let off steam",
        ("metal", "hard-rock", "punk", "hardcore"),
        weight=3,
    ),
    Concept(
        "morning",
        ("morning", "wake up", "waking up", "sunrise", "breakfast", "brunch", "manana", "despertar", "desayuno",
         "manha", "cafe da manha", "acordar", "matin", "reveil", "petit dejeuner", "morgen", "morgens",
         "aufwachen", "fruhstuck", "mattina", "risveglio", "colazione", "buongiorno", "buenos dias",
         "bom dia", "bonjour", "guten morgen"),
        {"valence": 0.7, "energy": 0.55, "mood": "fresh"},
        "fresh positive music to start the morning",
    ),
    Concept(
        "night",
        ("late night", "night drive", "midnight", "night", "noche", "madrugada", "noite", "nuit", "nacht",
         "notte", "after hours", "afterhours"),
        {"energy": 0.45, "valence": 0.4, "mood": "nocturnal"},
        "moody late night music",
    ),
    Concept(
        "summer",
        ("summer", "beach", "sunset", "tropical", "pool", "pool party", "vacation", "holiday", "island",
         "verano", "playa", "atardecer", "piscina", "vacaciones", "verao", "praia", "por do sol",
         "ferias", "ete", "plage", "fim de tarde", "final de tarde", "fin de tarde", "fin d'apres-midi", "surf", "surfing", "surfear", "surfar", "coucher de soleil", "vacances", "sommer", "strand",
         "sonnenuntergang", "urlaub", "estate", "spiaggia", "tramonto", "vacanze"),
        {"valence": 0.7, "energy": 0.6, "danceability": 0.68, "mood": "sunny"},
        "sunny summer beach music",
    ),
    Concept(
        "rain",
        ("rain", "rainy", "rainy day", "storm", "autumn", "fall evening", "cozy", "cosy", "lluvia",
         "lluvioso", "otono", "chuva", "chuvoso", "outono", "pluie", "pluvieux", "automne", "regen",
         "regnerisch", "herbst", "pioggia", "piovoso", "piovosa", "piovose", "autunno", "gemutlich",
         "lluviosa", "chuvosa", "pluvieuse", "regentag"),
        {"energy": 0.3, "valence": 0.35, "acousticness": 0.7, "mood": "cozy"},
        "cozy mellow music for a rainy day",
        weight=2,
    ),
    Concept(
        "kids",
        ("kids", "children", "child", "toddler", "toddlers", "baby", "family", "ninos", "nino", "infantil",
         "familia", "criancas", "crianca", "bebe", "enfants", "enfant", "famille", "kinder", "kind",
         "familie", "bambini", "bambino", "famiglia"),
        {"explicit": False, "valence": 0.75, "mood": "playful"},
        "fun family friendly songs for children",
        ("children", "kids", "disney"),
    ),
    Concept(
        "christmas",
        ("christmas", "xmas", "holiday season", "navidad", "navidena", "natal", "noel", "weihnachten",
         "weihnacht", "natale", "weihnachtsmusik", "weihnachtslieder", "villancicos", "chants de noel"),
        {"valence": 0.7, "energy": 0.5, "explicit": False, "mood": "festive"},
        "festive christmas songs",
    ),
    Concept(
        "chill electronic",
        ("chillwave", "lounge", "chill lounge", "sunday morning", "sunday"),
        {"energy": 0.4, "valence": 0.5, "mood": "laid-back"},
        "laid back lounge music for a lazy sunday",
        ("chill", "trip-hop", "deep-house", "jazz"),
    ),
    Concept(
        "epic",
        ("epic", "cinematic", "heroic", "triumphant", "anthem", "anthems", "epico", "epica", "epique",
         "episch", "epiche"),
        {"energy": 0.75, "valence": 0.5, "mood": "epic"},
        "epic cinematic anthems",
    ),
    Concept(
        "nostalgic",
        ("nostalgic", "nostalgia", "throwback", "throwbacks", "old school", "oldies", "retro", "classics",
         "nostalgico", "antiguas", "clasicos", "antigas", "classicos", "nostalgique", "vieux tubes",
         "nostalgisch", "oldie", "klassiker", "nostalgici", "vecchie canzoni", "successi di una volta"),
        {"popularity": 55, "mood": "nostalgic"},
        "nostalgic throwback classics",
    ),
    Concept(
        "acoustic feel",
        ("unplugged", "stripped", "campfire", "fogata", "fogueira", "feu de camp", "lagerfeuer",
         "falo", "fuoco"),
        {"acousticness": 0.8, "energy": 0.4, "mood": "acoustic"},
        "acoustic unplugged songs around a campfire",
        ("acoustic", "folk", "singer-songwriter"),
    ),
    Concept(
        "hiking",
        ("hike", "hiking", "mountains", "mountain", "nature", "forest", "camping", "senderismo",
         "montana", "naturaleza", "trilha", "montanha", "natureza", "randonnee", "montagne", "nature",
         "wandern", "wanderung", "berge", "natur", "escursione", "montagna", "natura", "trekking"),
        {"energy": 0.55, "valence": 0.6, "acousticness": 0.5, "mood": "adventurous"},
        "open air music for a hike in nature",
    ),
    Concept(
        "cleaning",
        ("cleaning", "chores", "housework", "limpiar", "limpieza", "faxina", "limpar", "menage",
         "putzen", "hausarbeit", "pulizie", "pulire"),
        {"energy": 0.72, "valence": 0.7, "danceability": 0.7, "mood": "upbeat"},
        "upbeat songs to make cleaning the house fun",
    ),
    Concept(
        "singalong",
        ("sing along", "singalong", "sing-along", "karaoke", "to sing", "mitsingen", "zum mitsingen",
         "para cantar", "cantar juntos", "pra cantar", "cantar junto", "a chanter", "chanter", "da cantare",
         "cantare insieme"),
        {"energy": 0.65, "valence": 0.7, "popularity": 72, "speechiness": 0.06, "mood": "singalong"},
        "famous songs everybody can sing along to",
    ),
    Concept(
        "wedding",
        ("wedding", "first dance", "bride", "boda", "primer baile", "novios", "casamento", "primeira danca",
         "noivos", "mariage", "premiere danse", "maries", "hochzeit", "hochzeitstanz", "brautpaar",
         "matrimonio", "primo ballo", "sposi", "nozze"),
        {"energy": 0.45, "valence": 0.6, "danceability": 0.55, "acousticness": 0.4, "popularity": 60,
         "explicit": False, "mood": "romantic"},
        "romantic wedding songs for the first dance",
    ),
    Concept(
        "gaming",
        ("gaming", "video games", "videogames", "video game", "gamer", "esports", "jugar videojuegos",
         "videojuegos", "jogar", "videogame", "jeux video", "jeu video", "zocken", "videospiele",
         "videogiochi", "giocare"),
        {"energy": 0.78, "valence": 0.45, "instrumentalness": 0.4, "mood": "focused"},
        "driving electronic music for gaming sessions",
        ("electronic", "edm", "dubstep", "drum-and-bass", "electro"),
    ),
    Concept(
        "commute",
        ("commute", "commuting", "on the train", "subway", "metro", "bus ride", "trayecto", "transporte",
         "trajeto", "trajet", "pendeln", "pendolare", "tragitto", "zugfahrt", "bahnfahrt", "im zug",
         "train ride", "en el tren", "no trem", "dans le train", "in treno"),
        {"energy": 0.6, "valence": 0.55, "mood": "steady"},
        "music for the daily commute on the train",
    ),
    Concept(
        "sexy",
        ("sexy", "seductive", "slow jams", "slow jam", "bedroom", "sensual", "seductor", "sedutor",
         "seduisant", "verfuhrerisch", "seducente"),
        {"energy": 0.45, "danceability": 0.65, "valence": 0.45, "mood": "sensual"},
        "sensual slow jams",
    ),
)


# Qualifiers that nudge a single feature; applied after concepts.
# value: (feature, value) pairs.
QUALIFIERS: dict[str, dict[str, Any]] = {
    "fast": {"tempo": 150, "energy_min": 0.7},
    "rapido": {"tempo": 150, "energy_min": 0.7},
    "rapida": {"tempo": 150, "energy_min": 0.7},
    "rapide": {"tempo": 150, "energy_min": 0.7},
    "schnell": {"tempo": 150, "energy_min": 0.7},
    "schnelle": {"tempo": 150, "energy_min": 0.7},
    "veloce": {"tempo": 150, "energy_min": 0.7},
    "slow": {"tempo": 80, "energy_max": 0.45},
    "lento": {"tempo": 80, "energy_max": 0.45},
    "lenta": {"tempo": 80, "energy_max": 0.45},
    "lentas": {"tempo": 80, "energy_max": 0.45},
    "lentos": {"tempo": 80, "energy_max": 0.45},
    "lent": {"tempo": 80, "energy_max": 0.45},
    "lente": {"tempo": 80, "energy_max": 0.45},
    "langsam": {"tempo": 80, "energy_max": 0.45},
    "langsame": {"tempo": 80, "energy_max": 0.45},
    "instrumental": {"instrumentalness": 0.8, "speechiness": 0.04},
    "instrumentals": {"instrumentalness": 0.8, "speechiness": 0.04},
    "instrumentales": {"instrumentalness": 0.8, "speechiness": 0.04},
    "instrumentais": {"instrumentalness": 0.8, "speechiness": 0.04},
    "instrumentale": {"instrumentalness": 0.8, "speechiness": 0.04},
    "instrumentali": {"instrumentalness": 0.8, "speechiness": 0.04},
    "no vocals": {"instrumentalness": 0.8, "speechiness": 0.04},
    "without vocals": {"instrumentalness": 0.8, "speechiness": 0.04},
    "without lyrics": {"instrumentalness": 0.8, "speechiness": 0.04},
    "no lyrics": {"instrumentalness": 0.8, "speechiness": 0.04},
    "sin letra": {"instrumentalness": 0.8, "speechiness": 0.04},
    "sem letra": {"instrumentalness": 0.8, "speechiness": 0.04},
    "sans paroles": {"instrumentalness": 0.8, "speechiness": 0.04},
    "ohne gesang": {"instrumentalness": 0.8, "speechiness": 0.04},
    "ohne text": {"instrumentalness": 0.8, "speechiness": 0.04},
    "senza parole": {"instrumentalness": 0.8, "speechiness": 0.04},
    "acoustic": {"acousticness": 0.8},
    "acustico": {"acousticness": 0.8},
    "acustici": {"acousticness": 0.8},
    "acustiche": {"acousticness": 0.8},
    "acusticos": {"acousticness": 0.8},
    "acustica": {"acousticness": 0.8},
    "acusticas": {"acousticness": 0.8},
    "acousticas": {"acousticness": 0.8},
    "acoustique": {"acousticness": 0.8},
    "akustisch": {"acousticness": 0.8},
    "akustik": {"acousticness": 0.8},
    "live": {"liveness_hint": True},
    "vocal": {"instrumentalness": 0.05},
    "lyrics": {"instrumentalness": 0.05},
    "loud": {"energy_min": 0.8},
    "laut": {"energy_min": 0.8},
    "laute": {"energy_min": 0.8},
    "lauter": {"energy_min": 0.8},
    "fort": {"energy_min": 0.8},
    "forte": {"energy_min": 0.8},
    "fast loud": {"energy_min": 0.85},
    "a tutto volume": {"energy_min": 0.85},
    "a todo volumen": {"energy_min": 0.85},
    "a todo volume": {"energy_min": 0.85},
    "a fond": {"energy_min": 0.85},
    "volle lautstarke": {"energy_min": 0.85},
    "voll aufgedreht": {"energy_min": 0.85},
    "full volume": {"energy_min": 0.85},
    "cranked up": {"energy_min": 0.85},
    "heavy": {"energy_min": 0.8},
    "brutal": {"energy_min": 0.88},
    "quiet": {"energy_max": 0.35},
    "quieter": {"energy_max": 0.35},
    "calmer": {"energy_max": 0.4},
    "softer": {"energy_max": 0.4},
    "soft": {"energy_max": 0.4},
    "gentle": {"energy_max": 0.4},
    "mellow": {"energy_max": 0.45},
}


# ------------------------------------------------------------ lookups

CONCEPT_PHRASES: list[tuple[str, Concept]] = sorted(
    ((w, c) for c in CONCEPTS for w in c.words),
    key=lambda wc: (-len(wc[0].split()), -len(wc[0])),
)
SINGLE_WORD_CONCEPTS = {w: c for w, c in reversed(CONCEPT_PHRASES) if " " not in w and len(w) >= 4}
INFLECTIONS = ("en", "er", "es", "em", "os", "as", "e", "s", "n", "r", "a", "o", "i")


def concept_for(phrase: str) -> Concept | None:
    """The concept a phrase (or an inflected single word) names, if any."""
    for word, concept in CONCEPT_PHRASES:
        if word == phrase:
            return concept
    if " " not in phrase:
        for base in stems(phrase):
            if base in SINGLE_WORD_CONCEPTS:
                return SINGLE_WORD_CONCEPTS[base]
    return None


def stems(word: str) -> list[str]:
    """Candidate base forms of an inflected word (German/Romance adjective endings)."""
    out = []
    for suffix in INFLECTIONS:
        if word.endswith(suffix) and len(word) - len(suffix) >= 4:
            out.append(word[: -len(suffix)])
    return out
