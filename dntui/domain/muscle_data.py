"""Muscle catalog data: commonly needled muscles and their risk flags, with sources.

Plain rows (no behaviour) turned into :class:`dntui.domain.muscles.Muscle` objects
at import by ``dntui.domain.muscles``, which also checks every row (known region,
known risk key, source keys present in ``dntui.domain.sources.SOURCES``).

Where things come from (keys of ``dntui.domain.sources.SOURCES``):

* Regions and the example muscles per region: shared/domain.md section 6
  (practitioner survey [48]). Regions named there only as groups ("wrist
  extensors", "hamstrings", "suboccipitals", ...) are split into their named
  muscles, because CPT counting needs each muscle named [3].
* Risk flags: shared/domain.md section 4 (lung [22c], organ/spinal canal
  [22d][22e][35], nerve/vessel [22e][36]) and the L/O/N flags of section 6;
  "pressure cannot be held" sites: section 2 ([21][22]).
* A muscle with no risk row has no flag **in these sources**. That is not a
  statement that needling it is risk-free; no flag is invented here.

Decisions where the sources are loose (kept visible in the detail text):

* Section 4 names *iliocostalis thoracis* for lung; section 6 flags "iliocostalis"
  L and O without naming the organ. Lung goes on the thoracic part only; the
  unnamed organ/spinal-canal flag goes on both parts and says it is unnamed.
* Section 6 flags *levator scapulae* L although section 4's named lung list does
  not include it: flagged, with the detail saying so.
* Section 6 flags the adductors and quadratus femoris N without naming the
  structure: flagged, with "structure not named in the source".
* Section 4 says "fibularis (common peroneal)", section 6 "fibularis
  longus/brevis N": longus and brevis are flagged; fibularis tertius is not.
* Only psoas and tibialis posterior are named as pressure-cannot-be-held sites
  (section 2, "e.g."); no other muscle is given that flag.
"""

from __future__ import annotations

from typing import NamedTuple

# Region values; must equal dntui.domain.muscles.Region values (checked at import).
HEAD = "head/neck"
SHOULDER = "shoulder/thorax"
ARM = "arm/forearm/hand"
TRUNK = "trunk/low back"
HIP = "hip"
THIGH = "thigh"
LEG = "leg/foot"


class RiskRow(NamedTuple):
    kind: str  # "lung" | "organ" | "nerve/vessel" | "pressure"
    detail: str
    watch: str
    source: tuple[str, ...]


class MuscleRow(NamedTuple):
    id: str
    name: str
    region: str
    abbreviations: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()
    group: str = ""  # anatomical group the muscle belongs to, searchable ("hamstrings")
    risks: tuple[str, ...] = ()  # keys into RISKS


_LUNG_WATCH = (
    "Needle depth over the thorax (a 3.1 cm needle can reach the lung); do not needle "
    "both sides of the thorax in one session. Pneumothorax signs: shortness of breath, "
    "chest pain, dry cough, immediately or up to days later"
)
_LUNG_SOURCE = ("22c", "37", "38")
_ORGAN_SOURCE = ("22d", "22e", "35")
_NV_SOURCE = ("22e", "36")

RISKS: dict[str, RiskRow] = {
    # --- lung / pneumothorax: domain.md section 4 [22c]; signs section 5 [22c][37][38]
    "lung": RiskRow(
        "lung",
        "Lung: pneumothorax risk over the thorax (named in the source)",
        _LUNG_WATCH,
        _LUNG_SOURCE,
    ),
    "lung-rhomboid": RiskRow(
        "lung",
        "Lung: pneumothorax risk over the thorax (named in the source; "
        "a 2025 case followed rhomboid needling)",
        _LUNG_WATCH,
        ("22c", "33", "37", "38"),
    ),
    "lung-likely": RiskRow(
        "lung",
        "Lung: likely pneumothorax risk over the thorax "
        "(the source lists this muscle as 'likely also', not in its named list)",
        _LUNG_WATCH,
        _LUNG_SOURCE,
    ),
    "lung-section6": RiskRow(
        "lung",
        "Lung: pneumothorax risk (lung flag from the domain reference muscle list, "
        "section 6; not in the source's named list, treat as likely)",
        _LUNG_WATCH,
        _LUNG_SOURCE,
    ),
    # --- organ / spinal canal: domain.md section 4 [22d][22e][35]
    "kidney": RiskRow(
        "organ",
        "Organ: kidney",
        "Needle depth and direction: the kidney can be reached",
        _ORGAN_SOURCE,
    ),
    "peritoneum": RiskRow(
        "organ",
        "Organ: peritoneum",
        "Needle depth through the abdominal wall: the peritoneum can be reached",
        _ORGAN_SOURCE,
    ),
    "spinal-canal": RiskRow(
        "organ",
        "Spinal canal at T12/L1",
        "Needle depth and angle at T12/L1: the spinal canal can be reached",
        _ORGAN_SOURCE,
    ),
    "brainstem": RiskRow(
        "organ",
        "Organ: brainstem",
        "Needle depth and direction in the suboccipital region: the brainstem can be reached",
        _ORGAN_SOURCE,
    ),
    "organ-unnamed": RiskRow(
        "organ",
        "Organ or spinal canal (flag from the domain reference muscle list, section 6; "
        "the structure is not named in the source)",
        "Needle depth and direction: an organ or the spinal canal may be reached",
        _ORGAN_SOURCE,
    ),
    # --- nerve / vessel: domain.md section 4 [22e][36]
    "brachial-plexus": RiskRow(
        "nerve/vessel",
        "Nerve: brachial plexus",
        "Needle path and depth near the brachial plexus",
        _NV_SOURCE,
    ),
    "radial-nerve": RiskRow(
        "nerve/vessel",
        "Nerve: radial nerve",
        "Needle path and depth near the radial nerve",
        _NV_SOURCE,
    ),
    "median-brachial": RiskRow(
        "nerve/vessel",
        "Nerve and vessel: median nerve, brachial artery",
        "Needle path and depth near the median nerve and the brachial artery",
        _NV_SOURCE,
    ),
    "femoral-nerve": RiskRow(
        "nerve/vessel",
        "Nerve: femoral nerve",
        "Needle path and depth near the femoral nerve",
        _NV_SOURCE,
    ),
    "sciatic": RiskRow(
        "nerve/vessel",
        "Nerve: sciatic nerve",
        "Needle path and depth near the sciatic nerve",
        _NV_SOURCE,
    ),
    "popliteal-tibial": RiskRow(
        "nerve/vessel",
        "Nerve and vessel: popliteal vessels, tibial nerve",
        "Needle path and depth near the popliteal vessels and the tibial nerve",
        _NV_SOURCE,
    ),
    "deep-peroneal": RiskRow(
        "nerve/vessel",
        "Nerve: deep peroneal (fibular) nerve",
        "Needle path and depth near the deep peroneal nerve",
        _NV_SOURCE,
    ),
    "common-peroneal": RiskRow(
        "nerve/vessel",
        "Nerve: common peroneal (fibular) nerve",
        "Needle path and depth near the common peroneal nerve",
        _NV_SOURCE,
    ),
    "nv-unnamed": RiskRow(
        "nerve/vessel",
        "Nerve or vessel nearby (flag from the domain reference muscle list, section 6; "
        "the structure is not named in the source)",
        "Needle path and depth: a nerve or vessel lies nearby",
        _NV_SOURCE,
    ),
    # --- pressure cannot be held: domain.md section 2 [21][22]
    "pressure": RiskRow(
        "pressure",
        "Pressure cannot be held on the site",
        "Anticoagulants, thrombocytopenia or a clotting disorder make needling here an "
        "absolute contraindication, because bleeding cannot be stopped by pressure "
        "(antithrombotic drugs alone are not an absolute contraindication [23])",
        ("21", "22", "23"),
    ),
}

_M = MuscleRow

MUSCLES: tuple[MuscleRow, ...] = (
    # ------------------------------------------------------------ head/neck
    _M("temporalis", "Temporalis", HEAD, group="masticatory"),
    _M("masseter", "Masseter", HEAD, group="masticatory"),
    _M("lateral-pterygoid", "Lateral pterygoid", HEAD, group="masticatory"),
    _M("medial-pterygoid", "Medial pterygoid", HEAD, group="masticatory"),
    _M("sternocleidomastoid", "Sternocleidomastoid", HEAD, ("SCM",), ("sternomastoid",)),
    _M(
        "anterior-scalene",
        "Anterior scalene",
        HEAD,
        ("AS",),
        ("scalenus anterior",),
        "scalenes",
        ("lung-likely", "brachial-plexus"),
    ),
    _M(
        "middle-scalene",
        "Middle scalene",
        HEAD,
        ("MS",),
        ("scalenus medius",),
        "scalenes",
        ("lung-likely", "brachial-plexus"),
    ),
    _M(
        "posterior-scalene",
        "Posterior scalene",
        HEAD,
        ("PS",),
        ("scalenus posterior",),
        "scalenes",
        ("lung-likely", "brachial-plexus"),
    ),
    _M(
        "upper-trapezius",
        "Upper trapezius",
        HEAD,
        ("UT",),
        ("upper trap", "trapezius upper fibers"),
        "trapezius",
        ("lung",),
    ),
    _M(
        "levator-scapulae",
        "Levator scapulae",
        HEAD,
        ("LS",),
        ("levator scap",),
        risks=("lung-section6",),
    ),
    _M("splenius-capitis", "Splenius capitis", HEAD, group="splenius"),
    _M("splenius-cervicis", "Splenius cervicis", HEAD, group="splenius"),
    _M("semispinalis-capitis", "Semispinalis capitis", HEAD, group="semispinalis"),
    _M("semispinalis-cervicis", "Semispinalis cervicis", HEAD, group="semispinalis"),
    _M("longissimus-capitis", "Longissimus capitis", HEAD, group="erector spinae"),
    _M(
        "cervical-multifidus",
        "Cervical multifidus",
        HEAD,
        synonyms=("multifidus cervical",),
        group="multifidus",
    ),
    _M(
        "rectus-capitis-posterior-major",
        "Rectus capitis posterior major",
        HEAD,
        ("RCPMaj",),
        group="suboccipitals",
        risks=("brainstem",),
    ),
    _M(
        "rectus-capitis-posterior-minor",
        "Rectus capitis posterior minor",
        HEAD,
        ("RCPMin",),
        group="suboccipitals",
        risks=("brainstem",),
    ),
    _M(
        "obliquus-capitis-superior",
        "Obliquus capitis superior",
        HEAD,
        ("OCS",),
        group="suboccipitals",
        risks=("brainstem",),
    ),
    _M(
        "obliquus-capitis-inferior",
        "Obliquus capitis inferior",
        HEAD,
        ("OCI",),
        group="suboccipitals",
        risks=("brainstem",),
    ),
    # ------------------------------------------------------ shoulder/thorax
    _M(
        "middle-trapezius",
        "Middle trapezius",
        SHOULDER,
        ("MT",),
        ("middle trap", "trapezius middle fibers"),
        "trapezius",
        ("lung",),
    ),
    _M(
        "lower-trapezius",
        "Lower trapezius",
        SHOULDER,
        ("LT",),
        ("lower trap", "trapezius lower fibers"),
        "trapezius",
        ("lung",),
    ),
    _M("rhomboid-major", "Rhomboid major", SHOULDER, group="rhomboids", risks=("lung-rhomboid",)),
    _M("rhomboid-minor", "Rhomboid minor", SHOULDER, group="rhomboids", risks=("lung-rhomboid",)),
    _M(
        "serratus-posterior-superior",
        "Serratus posterior superior",
        SHOULDER,
        ("SPS",),
        risks=("lung",),
    ),
    _M("serratus-anterior", "Serratus anterior", SHOULDER, ("SA",), risks=("lung-likely",)),
    _M(
        "supraspinatus",
        "Supraspinatus",
        SHOULDER,
        ("SSP",),
        group="rotator cuff",
        risks=("lung",),
    ),
    _M("infraspinatus", "Infraspinatus", SHOULDER, ("ISP",), group="rotator cuff"),
    _M("teres-minor", "Teres minor", SHOULDER, group="rotator cuff"),
    _M("teres-major", "Teres major", SHOULDER),
    _M("subscapularis", "Subscapularis", SHOULDER, group="rotator cuff", risks=("lung",)),
    _M(
        "latissimus-dorsi",
        "Latissimus dorsi",
        SHOULDER,
        ("LD",),
        ("lats",),
        risks=("lung",),
    ),
    _M(
        "anterior-deltoid",
        "Anterior deltoid",
        SHOULDER,
        synonyms=("deltoid anterior", "front deltoid"),
        group="deltoid",
    ),
    _M(
        "middle-deltoid",
        "Middle deltoid",
        SHOULDER,
        synonyms=("deltoid middle", "lateral deltoid"),
        group="deltoid",
    ),
    _M(
        "posterior-deltoid",
        "Posterior deltoid",
        SHOULDER,
        synonyms=("deltoid posterior", "rear deltoid"),
        group="deltoid",
    ),
    _M(
        "pectoralis-major",
        "Pectoralis major",
        SHOULDER,
        ("PM", "PMaj"),
        ("pec major",),
        "pectorals",
        ("lung-likely",),
    ),
    _M(
        "pectoralis-minor",
        "Pectoralis minor",
        SHOULDER,
        ("PMin",),
        ("pec minor",),
        "pectorals",
        ("lung-likely",),
    ),
    _M(
        "external-intercostals",
        "External intercostals",
        SHOULDER,
        synonyms=("intercostales externi",),
        group="intercostals",
        risks=("lung-likely",),
    ),
    _M(
        "internal-intercostals",
        "Internal intercostals",
        SHOULDER,
        synonyms=("intercostales interni",),
        group="intercostals",
        risks=("lung-likely",),
    ),
    # ----------------------------------------------------- arm/forearm/hand
    _M("coracobrachialis", "Coracobrachialis", ARM),
    _M("biceps-brachii", "Biceps brachii", ARM, synonyms=("biceps",)),
    _M("brachialis", "Brachialis", ARM),
    _M("triceps-brachii", "Triceps brachii", ARM, synonyms=("triceps",)),
    _M("anconeus", "Anconeus", ARM),
    _M("brachioradialis", "Brachioradialis", ARM, ("BR",)),
    _M("supinator", "Supinator", ARM, risks=("radial-nerve",)),
    _M("pronator-teres", "Pronator teres", ARM, ("PT",), risks=("median-brachial",)),
    _M("pronator-quadratus", "Pronator quadratus", ARM, ("PQ",)),
    _M(
        "extensor-carpi-radialis-longus",
        "Extensor carpi radialis longus",
        ARM,
        ("ECRL",),
        group="wrist extensors",
    ),
    _M(
        "extensor-carpi-radialis-brevis",
        "Extensor carpi radialis brevis",
        ARM,
        ("ECRB",),
        group="wrist extensors",
    ),
    _M("extensor-carpi-ulnaris", "Extensor carpi ulnaris", ARM, ("ECU",), group="wrist extensors"),
    _M(
        "extensor-digitorum",
        "Extensor digitorum",
        ARM,
        ("ED", "EDC"),
        ("extensor digitorum communis",),
        "wrist extensors",
    ),
    _M("extensor-indicis", "Extensor indicis", ARM, ("EI", "EIP"), ("extensor indicis proprius",)),
    _M("abductor-pollicis-longus", "Abductor pollicis longus", ARM, ("APL",)),
    _M("extensor-pollicis-brevis", "Extensor pollicis brevis", ARM, ("EPB",)),
    _M("extensor-pollicis-longus", "Extensor pollicis longus", ARM, ("EPL",)),
    _M("flexor-carpi-radialis", "Flexor carpi radialis", ARM, ("FCR",), group="wrist flexors"),
    _M("flexor-carpi-ulnaris", "Flexor carpi ulnaris", ARM, ("FCU",), group="wrist flexors"),
    _M("palmaris-longus", "Palmaris longus", ARM, group="wrist flexors"),
    _M(
        "flexor-digitorum-superficialis",
        "Flexor digitorum superficialis",
        ARM,
        ("FDS",),
        group="finger flexors",
    ),
    _M(
        "flexor-digitorum-profundus",
        "Flexor digitorum profundus",
        ARM,
        ("FDP",),
        group="finger flexors",
    ),
    _M("flexor-pollicis-longus", "Flexor pollicis longus", ARM, ("FPL",)),
    _M(
        "first-dorsal-interosseous",
        "First dorsal interosseous",
        ARM,
        ("FDI", "1st DI", "1DI"),
        ("1st dorsal interosseous",),
    ),
    _M("abductor-pollicis-brevis", "Abductor pollicis brevis", ARM, ("APB",), group="thenar"),
    _M("flexor-pollicis-brevis", "Flexor pollicis brevis", ARM, ("FPB",), group="thenar"),
    _M("opponens-pollicis", "Opponens pollicis", ARM, ("OP",), group="thenar"),
    _M("adductor-pollicis", "Adductor pollicis", ARM, ("AdP",)),
    _M(
        "abductor-digiti-minimi-hand",
        "Abductor digiti minimi (hand)",
        ARM,
        group="hypothenar",
    ),
    # ------------------------------------------------------- trunk/low back
    _M(
        "thoracic-multifidus",
        "Thoracic multifidus",
        TRUNK,
        synonyms=("multifidus thoracic",),
        group="multifidus",
        risks=("spinal-canal",),
    ),
    _M(
        "lumbar-multifidus",
        "Lumbar multifidus",
        TRUNK,
        synonyms=("multifidus lumbar",),
        group="multifidus",
        risks=("spinal-canal",),
    ),
    _M(
        "iliocostalis-thoracis",
        "Iliocostalis thoracis",
        TRUNK,
        group="erector spinae",
        risks=("lung", "organ-unnamed"),
    ),
    _M(
        "iliocostalis-lumborum",
        "Iliocostalis lumborum",
        TRUNK,
        group="erector spinae",
        risks=("organ-unnamed",),
    ),
    _M(
        "longissimus-thoracis",
        "Longissimus thoracis",
        TRUNK,
        group="erector spinae",
        risks=("lung",),
    ),
    _M("quadratus-lumborum", "Quadratus lumborum", TRUNK, ("QL",), risks=("kidney",)),
    _M(
        "rectus-abdominis",
        "Rectus abdominis",
        TRUNK,
        ("RA",),
        group="abdominals",
        risks=("peritoneum",),
    ),
    _M(
        "external-oblique",
        "External oblique",
        TRUNK,
        ("EO",),
        ("external abdominal oblique", "obliquus externus abdominis"),
        "abdominals",
        ("peritoneum",),
    ),
    _M(
        "internal-oblique",
        "Internal oblique",
        TRUNK,
        ("IO",),
        ("internal abdominal oblique", "obliquus internus abdominis"),
        "abdominals",
        ("peritoneum",),
    ),
    _M(
        "transversus-abdominis",
        "Transversus abdominis",
        TRUNK,
        ("TrA",),
        ("transverse abdominis",),
        "abdominals",
        ("peritoneum",),
    ),
    _M(
        "psoas-major",
        "Psoas major",
        TRUNK,
        synonyms=("psoas",),
        group="iliopsoas",
        risks=("femoral-nerve", "pressure"),
    ),
    _M("iliacus", "Iliacus", TRUNK, group="iliopsoas", risks=("femoral-nerve",)),
    # ------------------------------------------------------------------ hip
    _M(
        "gluteus-maximus",
        "Gluteus maximus",
        HIP,
        ("GMax",),
        ("glute max",),
        "gluteals",
        ("sciatic",),
    ),
    _M(
        "gluteus-medius",
        "Gluteus medius",
        HIP,
        ("GMed",),
        ("glute med",),
        "gluteals",
        ("sciatic",),
    ),
    _M(
        "gluteus-minimus",
        "Gluteus minimus",
        HIP,
        ("GMin",),
        ("glute min",),
        "gluteals",
        ("sciatic",),
    ),
    _M("piriformis", "Piriformis", HIP, risks=("sciatic",)),
    _M(
        "tensor-fasciae-latae",
        "Tensor fasciae latae",
        HIP,
        ("TFL",),
        ("tensor fascia lata",),
    ),
    _M("quadratus-femoris", "Quadratus femoris", HIP, ("QF",), risks=("nv-unnamed",)),
    # ---------------------------------------------------------------- thigh
    _M("rectus-femoris", "Rectus femoris", THIGH, ("RF",), group="quadriceps"),
    _M("vastus-lateralis", "Vastus lateralis", THIGH, ("VL",), group="quadriceps"),
    _M(
        "vastus-medialis",
        "Vastus medialis",
        THIGH,
        ("VM", "VMO"),
        ("vastus medialis obliquus",),
        "quadriceps",
    ),
    _M("vastus-intermedius", "Vastus intermedius", THIGH, ("VI",), group="quadriceps"),
    _M("sartorius", "Sartorius", THIGH),
    _M(
        "adductor-longus",
        "Adductor longus",
        THIGH,
        ("AL",),
        group="adductors",
        risks=("nv-unnamed",),
    ),
    _M(
        "adductor-brevis",
        "Adductor brevis",
        THIGH,
        ("AdB",),
        group="adductors",
        risks=("nv-unnamed",),
    ),
    _M(
        "adductor-magnus",
        "Adductor magnus",
        THIGH,
        ("AM",),
        group="adductors",
        risks=("nv-unnamed",),
    ),
    _M(
        "biceps-femoris",
        "Biceps femoris",
        THIGH,
        ("BF",),
        group="hamstrings",
        risks=("sciatic",),
    ),
    _M(
        "semitendinosus",
        "Semitendinosus",
        THIGH,
        ("ST",),
        group="hamstrings",
        risks=("sciatic",),
    ),
    _M(
        "semimembranosus",
        "Semimembranosus",
        THIGH,
        ("SM",),
        group="hamstrings",
        risks=("sciatic",),
    ),
    _M("gracilis", "Gracilis", THIGH),
    _M("pectineus", "Pectineus", THIGH),
    # ------------------------------------------------------------- leg/foot
    _M(
        "gastrocnemius",
        "Gastrocnemius",
        LEG,
        synonyms=("gastroc",),
        group="triceps surae",
        risks=("popliteal-tibial",),
    ),
    _M("soleus", "Soleus", LEG, group="triceps surae", risks=("popliteal-tibial",)),
    _M("popliteus", "Popliteus", LEG),
    _M(
        "tibialis-anterior",
        "Tibialis anterior",
        LEG,
        ("TA",),
        ("anterior tibialis",),
        risks=("deep-peroneal",),
    ),
    _M(
        "tibialis-posterior",
        "Tibialis posterior",
        LEG,
        ("TP",),
        ("posterior tibialis",),
        risks=("pressure",),
    ),
    _M(
        "fibularis-longus",
        "Fibularis longus",
        LEG,
        ("FL", "PL"),
        ("peroneus longus",),
        "fibulares",
        ("common-peroneal",),
    ),
    _M(
        "fibularis-brevis",
        "Fibularis brevis",
        LEG,
        ("FB", "PB"),
        ("peroneus brevis",),
        "fibulares",
        ("common-peroneal",),
    ),
    _M("fibularis-tertius", "Fibularis tertius", LEG, ("FT",), ("peroneus tertius",), "fibulares"),
    _M(
        "extensor-digitorum-longus",
        "Extensor digitorum longus",
        LEG,
        ("EDL",),
        group="long toe extensors",
    ),
    _M(
        "extensor-hallucis-longus",
        "Extensor hallucis longus",
        LEG,
        ("EHL",),
        group="long toe extensors",
    ),
    _M(
        "flexor-digitorum-longus",
        "Flexor digitorum longus",
        LEG,
        ("FDL",),
        group="long toe flexors",
    ),
    _M(
        "flexor-hallucis-longus",
        "Flexor hallucis longus",
        LEG,
        ("FHL",),
        group="long toe flexors",
    ),
    _M("abductor-hallucis", "Abductor hallucis", LEG, ("AbH",), group="intrinsic foot"),
    _M(
        "flexor-digitorum-brevis",
        "Flexor digitorum brevis",
        LEG,
        ("FDB",),
        group="intrinsic foot",
    ),
    _M("quadratus-plantae", "Quadratus plantae", LEG, ("QP",), group="intrinsic foot"),
    _M(
        "abductor-digiti-minimi-foot",
        "Abductor digiti minimi (foot)",
        LEG,
        group="intrinsic foot",
    ),
    _M(
        "extensor-digitorum-brevis",
        "Extensor digitorum brevis",
        LEG,
        ("EDB",),
        group="intrinsic foot",
    ),
    _M(
        "flexor-hallucis-brevis",
        "Flexor hallucis brevis",
        LEG,
        ("FHB",),
        group="intrinsic foot",
    ),
    _M("adductor-hallucis", "Adductor hallucis", LEG, ("AdH",), group="intrinsic foot"),
)
