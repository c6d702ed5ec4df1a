"""Muscle catalog data: commonly needled muscles and their risk flags, with sources.

Plain rows (no behaviour) turned into :class:`dntui.domain.muscles.Muscle` objects
at import by ``dntui.domain.muscles``, which also checks every row (known region,
known risk key, source keys present in ``dntui.domain.sources.SOURCES``).

Where things come from (keys of ``dntui.domain.sources.SOURCES``):

* Regions and the example muscles per region: the domain notes (docs/sources.md) section 6
  (practitioner survey [48]). Regions named there only as groups ("wrist
  extensors", "hamstrings", "suboccipitals", ...) are split into their named
  muscles, because CPT counting needs each muscle named [3].
* Risk flags: the domain notes (docs/sources.md) section 4 (lung [22c], organ/spinal canal
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
* Psoas and tibialis posterior are the sources' examples of sites where pressure
  cannot be held; the list is open ("for example" [22] 3.1.5), so iliacus, FDL, FHL,
  popliteus and the pterygoids are added as deep muscles ["anat"], saying so.
* Parts of one muscle (upper/middle/lower trapezius, the deltoid parts, cervical/
  thoracic/lumbar multifidus) keep their own ids, so stored visits are unchanged, and
  name the anatomical muscle they belong to (``muscle``) for counting [2][3][ta2].
* Lung flags added from published cases (infraspinatus [patel2019], thoracic
  paraspinals [patel2019][mintken2025]) or because the lung is within needle depth
  over the ribs (teres major/minor, subclavius, serratus posterior inferior) ["anat"];
  upper quadratus lumborum is "likely".
* Nerve/vessel flags from standard anatomy ["anat"] where the clinical sources name
  no structure; gluteus medius/minimus carry the superior gluteal nerve and vessels,
  not the sciatic nerve.
* Every source key is described in docs/sources.md.
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
    #: The anatomical muscle this entry is part of ("trapezius" for upper trapezius),
    #: "" when the entry is a whole muscle. Billing counts anatomical muscles [2][3][ta2].
    muscle: str = ""
    #: True where the record should say the spinal level needled (multifidus, rotatores).
    spinal_level: bool = False


_LUNG_WATCH = (
    "Needle depth over the thorax (a 3.1 cm needle can reach the lung); do not needle "
    "both sides of the thorax in one session. Pneumothorax signs: shortness of breath, "
    "chest pain, dry cough, immediately or up to days later"
)
_LUNG_SOURCE = ("22c", "37", "38")
_ORGAN_SOURCE = ("22d", "22e", "35")
_NV_SOURCE = ("22e", "36")

RISKS: dict[str, RiskRow] = {
    # --- lung / pneumothorax [22c]; signs [22c][37][38]
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
        "Lung: likely pneumothorax risk (flagged in a reference muscle list, "
        "not in the source's named list of lung-risk muscles)",
        _LUNG_WATCH,
        _LUNG_SOURCE,
    ),
    "lung-case": RiskRow(
        "lung",
        "Lung: pneumothorax risk over the thorax (a published case followed needling of "
        "this muscle with supraspinatus, rhomboids and paraspinals)",
        _LUNG_WATCH,
        ("22c", "patel2019", "37", "38"),
    ),
    "lung-thoracic-paraspinal": RiskRow(
        "lung",
        "Lung: pneumothorax risk at thoracic levels (paraspinal and intrascapular needling "
        "preceded published cases; the lung lies within needle depth between the ribs)",
        _LUNG_WATCH,
        ("22c", "patel2019", "mintken2025", "37", "38"),
    ),
    "lung-anatomy": RiskRow(
        "lung",
        "Lung: the muscle lies over the ribs and intercostal spaces, so the lung is within "
        "needle depth (standard anatomy with the source's 3.1 cm depth)",
        _LUNG_WATCH,
        ("22c", "anat", "37", "38"),
    ),
    "lung-likely-ql": RiskRow(
        "lung",
        "Lung: likely risk at the upper (12th rib) part of the muscle, where the pleura "
        "reaches below the 12th rib (standard anatomy; not in the source's named list)",
        _LUNG_WATCH,
        ("22c", "anat", "37", "38"),
    ),
    # --- organ / spinal canal [22d][22e][35]
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
        "Organ or spinal canal nearby (flagged in a reference muscle list; "
        "the structure is not named)",
        "Needle depth and direction: an organ or the spinal canal may be reached",
        _ORGAN_SOURCE,
    ),
    # --- nerve / vessel [22e][36]
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
        "Nerve or vessel nearby (flagged in a reference muscle list; the structure is not named)",
        "Needle path and depth: a nerve or vessel lies nearby",
        _NV_SOURCE,
    ),
    # --- nerve / vessel from standard anatomy ["anat"]: the relation is textbook anatomy
    "femoral-triangle": RiskRow(
        "nerve/vessel",
        "Nerve and vessel: femoral artery, femoral vein and femoral nerve (femoral triangle)",
        "Needle path and depth in the femoral triangle: palpate the femoral pulse",
        ("anat",),
    ),
    "popliteal-tibial-anat": RiskRow(
        "nerve/vessel",
        "Nerve and vessel: popliteal vessels, tibial nerve",
        "Needle path and depth near the popliteal vessels and the tibial nerve",
        ("22e", "36", "anat"),
    ),
    "carotid-sheath": RiskRow(
        "nerve/vessel",
        "Nerve and vessel: carotid sheath (carotid artery, internal jugular vein, vagus "
        "nerve), external jugular vein, accessory nerve",
        "Needle the muscle belly held in a pincer grip, away from the carotid sheath",
        ("anat",),
    ),
    "axillary": RiskRow(
        "nerve/vessel",
        "Nerve and vessel: axillary artery and vein, brachial plexus",
        "Needle path and depth under pectoralis minor: the axillary vessels and the "
        "brachial plexus lie deep to it",
        ("anat",),
    ),
    "cord-vertebral": RiskRow(
        "nerve/vessel",
        "Spinal cord and vertebral artery",
        "Needle depth and angle at cervical levels: the spinal cord and the vertebral artery "
        "can be reached",
        ("anat", "35"),
    ),
    "vertebral-artery": RiskRow(
        "nerve/vessel",
        "Vessel: vertebral artery (suboccipital triangle)",
        "Needle depth and direction in the suboccipital triangle: the vertebral artery runs there",
        ("anat",),
    ),
    "posterior-tibial": RiskRow(
        "nerve/vessel",
        "Nerve and vessel: posterior tibial artery and vein, tibial nerve",
        "Needle path and depth in the deep posterior compartment of the leg",
        ("anat",),
    ),
    "superior-gluteal": RiskRow(
        "nerve/vessel",
        "Nerve and vessel: superior gluteal nerve and vessels (between gluteus medius and "
        "minimus); the sciatic nerve is below piriformis, not under these muscles",
        "Needle path and depth between gluteus medius and gluteus minimus",
        ("anat",),
    ),
    "sciatic-deep-rotators": RiskRow(
        "nerve/vessel",
        "Nerve: sciatic nerve (it crosses behind this muscle)",
        "Needle path and depth: the sciatic nerve lies just behind",
        ("anat",),
    ),
    "subclavian": RiskRow(
        "nerve/vessel",
        "Nerve and vessel: subclavian artery and vein, brachial plexus",
        "Needle path and depth under the clavicle",
        ("anat",),
    ),
    "carotid-vertebral": RiskRow(
        "nerve/vessel",
        "Nerve and vessel: carotid sheath and vertebral artery",
        "Needle path and depth in the front of the neck",
        ("anat",),
    ),
    # --- pressure cannot be held [21][22]
    "pressure": RiskRow(
        "pressure",
        "Pressure cannot be held on the site",
        "Anticoagulants, thrombocytopenia or a clotting disorder make needling here an "
        "absolute contraindication, because bleeding cannot be stopped by pressure "
        "(antithrombotic drugs alone are not an absolute contraindication [23])",
        ("21", "22", "23"),
    ),
    # The source's list is open ("for example psoas and tibialis posterior"); these deep
    # muscles are added because they cannot be compressed either (standard anatomy).
    "pressure-deep": RiskRow(
        "pressure",
        "Pressure cannot be held on the site (deep muscle; the source's list is open: "
        "'for example psoas and tibialis posterior')",
        "Anticoagulants, thrombocytopenia or a clotting disorder make needling here an "
        "absolute contraindication, because bleeding cannot be stopped by pressure "
        "(antithrombotic drugs alone are not an absolute contraindication [23])",
        ("21", "22", "23", "anat"),
    ),
}

_M = MuscleRow

MUSCLES: tuple[MuscleRow, ...] = (
    # ------------------------------------------------------------ head/neck
    _M("temporalis", "Temporalis", HEAD, group="masticatory"),
    _M("masseter", "Masseter", HEAD, group="masticatory"),
    _M(
        "lateral-pterygoid",
        "Lateral pterygoid",
        HEAD,
        group="masticatory",
        risks=("pressure-deep",),
    ),
    _M("medial-pterygoid", "Medial pterygoid", HEAD, group="masticatory", risks=("pressure-deep",)),
    _M(
        "sternocleidomastoid",
        "Sternocleidomastoid",
        HEAD,
        abbreviations=("SCM",),
        synonyms=("sternomastoid",),
        risks=("carotid-sheath",),
    ),
    _M("digastric", "Digastric", HEAD, synonyms=("digastricus",)),
    _M("longus-colli", "Longus colli", HEAD, risks=("carotid-vertebral",)),
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
        muscle="trapezius",
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
        risks=("cord-vertebral",),
        muscle="multifidus",
        spinal_level=True,
    ),
    _M(
        "rectus-capitis-posterior-major",
        "Rectus capitis posterior major",
        HEAD,
        abbreviations=("RCPMaj",),
        group="suboccipitals",
        risks=("brainstem", "vertebral-artery"),
    ),
    _M(
        "rectus-capitis-posterior-minor",
        "Rectus capitis posterior minor",
        HEAD,
        abbreviations=("RCPMin",),
        group="suboccipitals",
        risks=("brainstem", "vertebral-artery"),
    ),
    _M(
        "obliquus-capitis-superior",
        "Obliquus capitis superior",
        HEAD,
        abbreviations=("OCS",),
        group="suboccipitals",
        risks=("brainstem", "vertebral-artery"),
    ),
    _M(
        "obliquus-capitis-inferior",
        "Obliquus capitis inferior",
        HEAD,
        abbreviations=("OCI",),
        group="suboccipitals",
        risks=("brainstem", "vertebral-artery"),
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
        muscle="trapezius",
    ),
    _M(
        "lower-trapezius",
        "Lower trapezius",
        SHOULDER,
        ("LT",),
        ("lower trap", "trapezius lower fibers"),
        "trapezius",
        ("lung",),
        muscle="trapezius",
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
    _M(
        "serratus-posterior-inferior",
        "Serratus posterior inferior",
        SHOULDER,
        ("SPI",),
        risks=("lung-anatomy",),
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
    _M(
        "infraspinatus",
        "Infraspinatus",
        SHOULDER,
        abbreviations=("ISP",),
        group="rotator cuff",
        risks=("lung-case",),
    ),
    _M("teres-minor", "Teres minor", SHOULDER, group="rotator cuff", risks=("lung-anatomy",)),
    _M("teres-major", "Teres major", SHOULDER, risks=("lung-anatomy",)),
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
        muscle="deltoid",
    ),
    _M(
        "middle-deltoid",
        "Middle deltoid",
        SHOULDER,
        synonyms=("deltoid middle", "lateral deltoid"),
        group="deltoid",
        muscle="deltoid",
    ),
    _M(
        "posterior-deltoid",
        "Posterior deltoid",
        SHOULDER,
        synonyms=("deltoid posterior", "rear deltoid"),
        group="deltoid",
        muscle="deltoid",
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
        abbreviations=("PMin",),
        synonyms=("pec minor",),
        group="pectorals",
        risks=("lung-likely", "axillary"),
    ),
    _M("subclavius", "Subclavius", SHOULDER, risks=("lung-anatomy", "subclavian")),
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
    _M("palmaris-longus", "Palmaris longus", ARM, abbreviations=("PL",), group="wrist flexors"),
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
        risks=("spinal-canal", "lung-thoracic-paraspinal"),
        muscle="multifidus",
        spinal_level=True,
    ),
    _M(
        "lumbar-multifidus",
        "Lumbar multifidus",
        TRUNK,
        synonyms=("multifidus lumbar",),
        group="multifidus",
        risks=("spinal-canal",),
        muscle="multifidus",
        spinal_level=True,
    ),
    _M(
        "rotatores",
        "Rotatores",
        TRUNK,
        synonyms=("rotatores spinae",),
        risks=("spinal-canal",),
        spinal_level=True,
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
    _M(
        "quadratus-lumborum",
        "Quadratus lumborum",
        TRUNK,
        abbreviations=("QL",),
        risks=("kidney", "lung-likely-ql"),
    ),
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
    _M("iliacus", "Iliacus", TRUNK, group="iliopsoas", risks=("femoral-nerve", "pressure-deep")),
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
        abbreviations=("GMed",),
        synonyms=("glute med",),
        group="gluteals",
        risks=("superior-gluteal",),
    ),
    _M(
        "gluteus-minimus",
        "Gluteus minimus",
        HIP,
        abbreviations=("GMin",),
        synonyms=("glute min",),
        group="gluteals",
        risks=("superior-gluteal",),
    ),
    _M("piriformis", "Piriformis", HIP, risks=("sciatic",)),
    _M(
        "obturator-internus",
        "Obturator internus",
        HIP,
        group="deep hip rotators",
        risks=("sciatic-deep-rotators",),
    ),
    _M(
        "gemellus-superior",
        "Gemellus superior",
        HIP,
        synonyms=("superior gemellus",),
        group="gemelli",
        risks=("sciatic-deep-rotators",),
    ),
    _M(
        "gemellus-inferior",
        "Gemellus inferior",
        HIP,
        synonyms=("inferior gemellus",),
        group="gemelli",
        risks=("sciatic-deep-rotators",),
    ),
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
    _M("pectineus", "Pectineus", THIGH, risks=("femoral-triangle",)),
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
    _M("plantaris", "Plantaris", LEG, group="triceps surae", risks=("popliteal-tibial-anat",)),
    _M("popliteus", "Popliteus", LEG, risks=("popliteal-tibial-anat", "pressure-deep")),
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
        abbreviations=("TP",),
        synonyms=("posterior tibialis",),
        risks=("pressure", "posterior-tibial"),
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
        abbreviations=("FDL",),
        group="long toe flexors",
        risks=("posterior-tibial", "pressure-deep"),
    ),
    _M(
        "flexor-hallucis-longus",
        "Flexor hallucis longus",
        LEG,
        abbreviations=("FHL",),
        group="long toe flexors",
        risks=("posterior-tibial", "pressure-deep"),
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
