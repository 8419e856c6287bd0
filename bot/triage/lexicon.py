"""The cue data: what words and phrases mean, kept apart from the code that combines them.

Every pattern here is written against *normalised* text (see ``normalise.py``): lower case,
contractions expanded ("they are", "he is", "do not"), SMS-speak expanded, slurs de-masked,
fillers gone, and clause boundaries as separate "." and "," tokens. So a pattern says
"they are kicking" once and matches "THEYRE KICKIN", "they're kicking" and "um they r
kicking".

``gap(n)`` allows up to n intervening words but never crosses a clause boundary, so a cue
cannot be assembled from two different sentences.

Nothing here decides on its own: ``detector.py`` asks ``tense.py`` whether each
emergency cue is happening now, and discards cues in a fiction context (films, games).
"""

from __future__ import annotations

from typing import Final, NamedTuple

__all__ = [
    "BONFIRE",
    "CONTEXT_REQUIRED",
    "EMERGENCY_CUES",
    "FICTION",
    "GROUP_WORDS",
    "HATE_CUES",
    "HATE_NEGATORS",
    "HOSTILE_ACT",
    "MASKABLE",
    "NONE_CUES",
    "SLUR_PLACEHOLDER_STRANDS",
    "SUBTYPE_CUES",
    "VICTIM_IDENTITY",
    "WEAPON",
    "EmergencyCue",
    "HateCue",
    "SubtypeCue",
    "gap",
]


def gap(n: int) -> str:
    """Up to ``n`` words between two parts of a phrase, within one clause."""
    return rf"(?:\s+[a-z0-9']+){{0,{n}}}?"


# --- masked words -----------------------------------------------------------------------

# Words people write with stars or digits in them, most likely reading first. The common
# swear words come first so that "f***" or "s***" is never mistaken for a slur; the slurs
# follow, so that "p***" (in the UK almost always the anti-Pakistani slur), "f****t" and
# "n*****" are recognised. "piss" is after "paki" on purpose: "called me a p***" is not
# about urine.
MASKABLE: Final[tuple[str, ...]] = (
    "fuck",
    "fucking",
    "fucked",
    "fucker",
    "shit",
    "shite",
    "cunt",
    "twat",
    "bitch",
    "bastard",
    "bollocks",
    "wanker",
    "dick",
    "prick",
    "arse",
    "arsehole",
    "slag",
    "tosser",
    "paki",
    "faggot",
    "fag",
    "nigger",
    "nigga",
    "coon",
    "wog",
    "dyke",
    "queer",
    "tranny",
    "retard",
    "spastic",
    "spaz",
    "spacker",
    "mong",
    "gypo",
    "gyppo",
    "pikey",
    "chinky",
    "chink",
    "poof",
    "poofter",
    "kike",
    "raghead",
    "piss",
    "pussy",
    "hell",
    "damn",
)

# "[racial slur]" -> slurrace; "[slur]" with no hint -> slurany (strand from context).
SLUR_PLACEHOLDER_STRANDS: Final[tuple[tuple[str, str], ...]] = (
    ("racial", "race"),
    ("racist", "race"),
    ("n word", "race"),
    ("n-word", "race"),
    ("homophob", "sexual_orientation"),
    ("gay", "sexual_orientation"),
    ("transphob", "transgender"),
    ("trans", "transgender"),
    ("disab", "disability"),
    ("ableist", "disability"),
    ("religio", "religion"),
    ("islamophob", "religion"),
    ("antisemit", "religion"),
    ("anti-semit", "religion"),
)

# --- shared vocabulary --------------------------------------------------------------------

# Weapons, including UK slang: blade, shank, chiv/shiv, nank; "strap" is left out (bag strap).
WEAPON: Final[str] = (
    r"(?:knife|knifes|knives|blade|blades|machete|machetes|shank|shanks|chiv|chivs|shiv|"
    r"nank|zombie knife|samurai sword|sword|swords|(?<!toy )(?<!water )(?<!nerf )(?<!cap )"
    r"(?:gun|guns|handgun|pistol|pistols|shotgun|shotguns|rifle|rifles|air rifle|firearm|"
    r"firearms)|axe|axes|hatchet|crowbar|crowbars|hammer|baseball bat|baseball bats|"
    r"bat|bats|golf club|cricket bat|iron bar|metal bar|broken bottle|screwdriver|"
    r"acid|weapon|weapons)"
)

# People who can be hurt. Used as the object of violent verbs, so that "kicking him" is
# violence but "kicking a football" is not.
PERSON: Final[str] = (
    r"(?:me|him|her|them|us|you|someone|somebody|some one|anyone|each other|one another|"
    r"(?:a|an|the|my|his|her|our|their|this|that|one|another|some|two|three|old|young|"
    r"little|poor)?\s*(?:old |young |little |elderly |poor )?"
    r"(?:man|men|woman|women|lady|lad|lads|girl|girls|boy|boys|kid|kids|child|children|"
    r"baby|toddler|son|daughter|mum|mom|mother|dad|father|brother|sister|husband|wife|"
    r"partner|friend|mate|neighbour|grandad|nan|gran|pensioner|driver|guy|bloke|person|"
    r"people|student|teenager|fella|taxi driver|shop keeper|shopkeeper))"
)

# The resident's home, car or door: damage to these now is an emergency.
HOME_TARGET: Final[str] = (
    r"(?:my|our|his|her|their|next doors|the|a)\s+(?:(?:front|back|kitchen|bedroom|living "
    r"room|patio|car|upstairs|downstairs|bathroom|side|house|flat|french|garage|shop|mums|"
    r"dads|nans)\s+)?"
    r"(?:window|windows|door|doors|windscreen|car|cars|house|flat|home)"
)

# Places that mean "in my home" for an intruder.
HOME_INSIDE: Final[str] = (
    r"(?:(?:my|our|the)\s+(?:house|home|flat|hallway|hall|kitchen|bedroom|living room|"
    r"loft|attic|stairs|landing|front room|back room)|(?:my|our)\s+(?:garden|back garden|"
    r"shed|garage|roof|yard|back yard))"
)


class EmergencyCue(NamedTuple):
    """A pattern that points to risk to life or person.

    ``name`` is what a call handler sees; ``subtype`` the kind of incident; ``needs_now``
    marks weak cues that only count with an explicit "now" marker (a fight may be over,
    "scared for my life" may describe months of it); ``threat`` marks spoken threats, which
    are discarded when the speaker is the resident ("I could kill him") or the threat
    arrived by text or letter.
    """

    name: str
    subtype: str
    pattern: str
    needs_now: bool = False
    threat: bool = False


_HOLD_VERBS = (
    r"(?:with|holding|carrying|waving|wielding|brandishing|swinging|flashing|pointing|"
    r"loading|pulled|pulling|pulls|drawn|got|has|have|had|armed with|showing|showed|"
    r"threatening (?:me|him|her|us|them|people|everyone|my [a-z]+) with|chasing [a-z]+ with)"
)

EMERGENCY_CUES: Final[tuple[EmergencyCue, ...]] = (
    # A weapon in someone's hands: "lads outside wiv a blade", "he's got a knife".
    EmergencyCue("weapon_present", "weapon", rf"\b{_HOLD_VERBS}{gap(4)}\s+{WEAPON}\b"),
    # "shanks out", "knife out", "gun out".
    EmergencyCue("weapon_drawn", "weapon", rf"\b{WEAPON}\s+(?:out|drawn)\b"),
    # Guns being fired.
    EmergencyCue(
        "shots_fired",
        "violence",
        r"\b(?:shots fired|gunshots|gun shots|gunfire|shooting at|shot at|firing at)\b",
    ),
    # Someone being hurt: "beating his wife", "kicking one lad on the floor".
    EmergencyCue(
        "assault_in_progress",
        "violence",
        r"\b(?<!nearly )(?<!almost )(?:attacking|beating|battering|punching|kicking|stabbing|"
        r"hitting|assaulting|strangling|choking|glassing|slashing|jumping|mugging|robbing|dragging|smacking|"
        r"stamping on|headbutting|throttling|pinning|bottling|knifing|shooting)"
        rf"(?:\s+up)?(?:{gap(1)}\s+{PERSON}|(?:\s+[a-z]+){{0,2}}?\s+(?:head|heads|face|skull))\b",
    ),
    EmergencyCue(
        "being_attacked",
        "violence",
        r"\b(?:being|getting)\s+(?:(?:his|her|their|my|your)\s+(?:head|face)\s+)?"
        r"(?:kicked in|smashed in|caved in|beaten up|battered|"
        r"attacked|beaten|battered|stabbed|hit|punched|kicked|assaulted|mugged|"
        r"robbed|strangled|chased|followed|dragged|glassed|shot|jumped|threatened|"
        r"held|grabbed|kidnapped|abducted)\b",
    ),
    EmergencyCue(
        "just_attacked",
        "violence",
        r"\b(?:been|just|has|have)\s+(?:just\s+)?(?:been\s+)?(?:stabbed|shot|glassed|slashed|"
        r"knifed|bottled|knocked out|beaten up|battered|run over|knocked down|"
        r"hit by a car|mugged|jumped|attacked|assaulted|kidnapped|abducted)\b",
    ),
    EmergencyCue(
        "just_attacked_active",
        "violence",
        r"\bjust\s+(?:stabbed|shot|glassed|slashed|attacked|punched|hit|mugged|robbed|"
        r"threw acid|thrown acid|knocked [a-z]+ off)\b",
    ),
    EmergencyCue(
        "acid_attack",
        "weapon",
        r"\b(?:threw|thrown|throwing|chucked|squirted)\s+acid\b",
    ),
    # Someone injured, collapsed or lying still.
    EmergencyCue(
        "person_injured",
        "violence",
        r"\b(?:not breathing|stopped breathing|is not breathing|unconscious|not moving|"
        r"blood everywhere|covered in blood|bleeding (?:loads|badly|heavily|everywhere|a lot|"
        r"from)|(?:is|are|he is|she is|and|badly|still)\s+bleeding|(?:man|woman|lad|girl|"
        r"boy|someone|somebody|he|she|person|guy|bloke|body|him|her)\s+(?:is\s+|lying\s+|"
        r"has\s+)?(?:collapsed|on the floor|on the ground|lying in the road|lying on the "
        r"(?:floor|ground|road|pavement)))\b",
    ),
    # A fight, which may already be over: only with a "now" marker or an injury cue.
    EmergencyCue(
        "fight",
        "violence",
        r"\b(?<!dog )(?<!dogs )(?<!pillow )(?<!food )(?:fight|fighting|brawl|mass brawl|punch up|"
        r"scrap|scrapping|kicking off|massive fight|big fight)\b",
        needs_now=True,
    ),
    # ...but "there's a fight outside", "they are fighting" is happening as the person types.
    EmergencyCue(
        "fight_present",
        "violence",
        r"\b(?:there is|there are|is|are|it is|they are)\s+(?:a\s+)?(?:[a-z]+\s+){0,3}?"
        r"(?:fight|fighting|brawl|punch up|scrapping)\b(?!\s+(?:about|over|with me about))",
    ),
    # Objects thrown at people or homes.
    EmergencyCue(
        "missiles",
        "violence",
        r"\b(?:throwing|throwin|lobbing|chucking|firing|dropping|pelting)\s+(?:[a-z]+\s+){0,2}?"
        r"(?:bricks|brick|stones|rocks|bottles|fireworks|firework|stuff|things|paving slabs|"
        r"slabs|glass)\b"
        rf"{gap(2)}\s+(?:at|on|onto|through|into|off)\s+(?:{HOME_TARGET}|cars|buses|traffic|"
        rf"the road|{PERSON})\b",
    ),
    # Damage to a home or car happening now: "smashing my window", "kicking my door in".
    EmergencyCue(
        "home_attacked",
        "violence",
        r"\b(?:smashing|kicking|booting|battering|bashing|breaking|forcing|ramming|"
        r"trying to (?:smash|kick|break|force|boot)|going to (?:smash|kick|break))"
        rf"(?:\s+(?:in|down|up|through|open))?\s+{HOME_TARGET}\b",
    ),
    EmergencyCue(
        "home_just_attacked",
        "intruder",
        r"\b(?:just|has just|have just)\s+(?:smashed|broken|broke|kicked|forced|booted|"
        r"jemmied)\s+(?:in\s+|open\s+|down\s+)?(?:[a-z]+\s+){0,4}?(?:window|windows|door|"
        r"glass|lock|patio)\b",
    ),
    EmergencyCue(
        "door_kicked_in",
        "intruder",
        rf"\b(?:kicking|booting|smashing|battering|forcing)\s+{HOME_TARGET}\s+(?:in|down|open)\b",
    ),
    # Break-in in progress.
    EmergencyCue(
        "break_in",
        "intruder",
        r"\b(?:(?:trying to|try to|attempting to|about to)\s+(?:get|break|climb|force|kick|"
        r"smash)\s+(?:(?:their|his|her|the)\s+way\s+)?(?:in|into|inside|through)|"
        r"breaking\s+(?:in|into)|(?:have|has|just|is|are|they have|someone is)\s+(?:just\s+)?"
        r"(?:broke|broken|got)\s+(?:in|into)|"
        r"(?:is|are|they are)\s+breaking\s+in|"
        r"trying\s+(?:the|my|our|all the)\s+(?:door|doors|handle|handles|door handles|"
        r"windows|back door|front door)|climbing\s+(?:in\s+)?(?:through|into|in)\s+(?:my|our|"
        r"the)\s+(?:[a-z]+\s+)?(?:window|door|skylight)|forcing\s+(?:the|my|our|their|next "
        r"doors|[a-z]+)\s+(?:[a-z]+\s+)?(?:door|window|lock)|kicked\s+(?:my|our|the)\s+"
        r"(?:[a-z]+\s+)?door\s+open)\b",
    ),
    EmergencyCue(
        "intruder_inside",
        "intruder",
        r"\b(?:(?:(?:someone|somebody|some one|a man|a woman|men|a guy|a person|stranger|"
        r"strangers|intruder|intruders|burglar|burglars)\s+(?:is\s+|are\s+)?|(?:people|they|"
        r"them|he|she)\s+(?:is|are)\s+)"
        rf"(?:in|inside|into|on)\s+{HOME_INSIDE}(?!\s+(?:upstairs|downstairs|above|below|next "
        r"door|opposite|across))|(?:intruder|intruders|burglars|burglar)\b"
        r"|i can hear (?:someone|somebody|people|them|him|a man|men)\s+(?:downstairs|"
        r"upstairs|inside|in (?:the|my|our)|breaking|trying)|(?:someone|somebody|people|"
        r"they)\s+(?:is|are)\s+(?:downstairs|in the house|in the flat))\b",
    ),
    # Fire being set.
    EmergencyCue(
        "fire_set",
        "fire",
        r"\b(?:set|setting|sets|lit|lighting|light|put)\s+(?:fire|light)\s+to\b"
        r"|\b(?:set|setting|sets|lit|lighting)\s+(?:[a-z]+\s+){1,4}?(?:on fire|alight|ablaze)\b",
    ),
    EmergencyCue(
        "fire_attempt",
        "fire",
        r"\b(?:trying to|try to|going to|threatening to|about to|wants to|want to|will)\s+"
        r"(?:burn|torch|set fire to|firebomb|petrol bomb)\b",
    ),
    EmergencyCue(
        "fire_letterbox",
        "fire",
        r"\b(?:petrol|lighter fluid|accelerant|burning rags|burning|something burning|lit|"
        r"firework|fireworks|rags)\b"
        rf"{gap(4)}\s+(?:through|in|into)\s+(?:my|our|the|their|his|her)\s+letter ?box\b"
        r"|\b(?:pouring|poured|throwing|threw|thrown)\s+petrol\b|\bpetrol bomb\b|\bmolotov\b"
        r"|\bfirebomb|\bfilling (?:up )?with smoke\b",
    ),
    # Something on fire now; discarded in a bonfire or garden-burning context.
    EmergencyCue(
        "on_fire",
        "fire",
        r"\b(?:on fire|ablaze|in flames|going up|flames are|flames)\b",
        needs_now=False,
    ),
    # Someone threatening to kill or hurt now.
    EmergencyCue(
        "threat_to_kill",
        "threats",
        r"\b(?:going to|will|wants to|want to|trying to|threatening to|about to|gon|"
        r"coming (?:round |over |back )?(?:now |here |tonight )?to)\s+"
        r"(?:(?:kill|stab|shoot|murder|hurt|slit|knife|do in|cut|batter|beat up|glass|"
        r"strangle|shank|merk|blow up)\s+(?:me|us|him|her|them|you|my|our|his|the|everyone|"
        r"a|himself|herself)|run (?:me|us|him|her|them|my [a-z]+) over|run over (?:me|us|him|"
        r"her|them|my))\b",
        threat=True,
    ),
    # People held against their will, children in danger.
    EmergencyCue(
        "held_or_taken",
        "violence",
        r"\b(?:will not let (?:me|us|her|him) (?:leave|go|out)|locked (?:himself|herself|"
        r"themselves|me|us) in|held hostage|holding (?:me|us|her|him) hostage|kidnap|"
        r"(?:drag|dragging|grab|grabbing|snatch|snatching|bundle|bundling)\s+(?:[a-z]+\s+)?"
        r"(?:a girl|a boy|a child|a kid|kids|children|her|him|a woman)\s+(?:into|in)\b"
        r"|(?:trying to|tried to)\s+(?:grab|take|snatch|drag)\s+(?:them|a child|kids|"
        r"children|a kid|the kids|her|him|a girl|a boy)|by (?:her|his) hair"
        r"|(?:up )?against the wall)",
    ),
    EmergencyCue(
        "child_in_danger",
        "violence",
        r"\b(?:child|children|kid|kids|toddler|baby|little boy|little girl)\b"
        r"(?:\s+[a-z0-9']+){0,6}?\s+(?:in danger|left in a car|locked in a car|on the "
        r"(?:roof|balcony|ledge|railing)|climbing the (?:railing|railings|balcony)|in the road)\b"
        r"|\bkids in danger\b",
    ),
    # A vehicle used as a weapon.
    EmergencyCue(
        "vehicle_attack",
        "violence",
        r"\b(?:driving|drove|driven|drive|reversing|swerving)\s+(?:a car\s+|straight\s+)?"
        r"at\s+(?:me|us|him|her|them|people|kids|the kids|children|someone|a|my)\b",
    ),
    # Screaming for help, somebody's life at risk.
    EmergencyCue(
        "cry_for_help",
        "violence",
        r"\b(?:screaming for help|shouting for help|crying for help|screaming help|"
        r"fear for (?:my|our|his|her) life|scared for (?:my|our|his|her) life|"
        r"going to hurt (?:himself|herself)|going to kill (?:himself|herself))\b",
    ),
)

# Emergency cues are discarded when they sit in a sentence about fiction or play.
FICTION: Final[str] = (
    r"\b(?:film|films|movie|movies|documentary|tv|telly|television|eastenders|corrie|"
    r"coronation street|emmerdale|soap|programme|show|game|games|gaming|playstation|ps5|"
    r"xbox|call of duty|fortnite|gta|netflix|book|novel|youtube|on the news|toy|toys|nerf|"
    r"water pistol|paintball|airsoft|lol|haha)\b"
)

# Garden burning and bonfires: smoke is an environmental nuisance, not a fire being set.
BONFIRE: Final[str] = (
    r"\b(?:bonfire|bonfires|garden waste|burning (?:rubbish|leaves|waste|plastic|cables|tyres|"
    r"wood|old|garden|stuff|things|his rubbish|their rubbish)|burns (?:rubbish|plastic|stuff|"
    r"garden|his|their|cables|tyres)|wood burner|log burner|bbq|barbecue|fire pit|firepit|"
    r"chiminea|allotment|allotments|burnt out|burned out|incinerator|oil drum)\b"
)


# --- hate ----------------------------------------------------------------------------------


class HateCue(NamedTuple):
    """A pattern that points to hostility because of who someone is.

    ``strand`` is None when the strand has to come from context ("they called my son a
    [slur] because of his wheelchair" -> disability, from "wheelchair").
    """

    name: str
    strand: str | None
    pattern: str


# Words that are slurs wherever they appear (after de-masking). Words with an innocent
# reading ("fag" the cigarette, "dyke" the embankment, "queer", "homo", "chink" of light,
# "monkey", "terrorist") only count when aimed at someone (see _AIMED below).
_SLURS_ALWAYS: Final[dict[str, str]] = {
    "race": (
        r"nigger|niggers|nigga|niggas|niggaz|negroes|coon|coons|wog|wogs|paki|pakis|packi|"
        r"pakki|chinky|chinkies|chinks|gook|gooks|spic|spics|gypo|gypos|gyppo|gyppos|gippo|"
        r"pikey|pikeys|piky|darkie|darkies|sambo|golliwog|jungle bunny|half caste|polack|"
        r"polacks|slurrace"
    ),
    "religion": r"kike|kikes|raghead|ragheads|rag head|rag heads|towelhead|towel head|sluregion",
    "sexual_orientation": (
        r"faggot|faggots|fagot|poof|poofs|poofter|poofters|batty boy|batty boys|batty man|"
        r"bum boy|lezza|lezzas|lezzer|lezzers|lesbo|lesbos|slursexual_orientation"
    ),
    "disability": (
        r"retard|retards|retarded|spastic|spastics|spaz|spazz|spacker|spacca|mong|mongs|mongol|"
        r"cripple|cripples|window licker|slurdisability"
    ),
    "transgender": r"tranny|trannies|trannys|shemale|she male|he she|slurtransgender",
}
_SLURS_AIMED: Final[dict[str, str]] = {
    "race": (
        r"chink|monkey|monkeys|immigrant|immigrants|foreigner|foreigners|foreign scrounger|"
        r"dirty traveller|dirty travellers|gypsy scum|traveller scum|chinky|illegal|illegals|"
        r"asylum seeker"
    ),
    "religion": r"terrorist|terrorists|bin laden|yid|yids|letterbox|letter box|bomber",
    "sexual_orientation": r"fag|fags|dyke|dykes|queer|queers|homo|homos|gay boy|bender|benders",
    # only with a disability named elsewhere in the message (see CONTEXT_REQUIRED)
    "disability": r"psycho|mental|nutter|freak|loony|div|slow",
    "transgender": r"it|a man|a bloke|mate|sir|he|him|she|her|a boy|a girl",
}
_AIMED_VERBS: Final[str] = (
    r"(?:call|calls|called|calling|shout|shouts|shouted|shouting|scream|screams|screamed|"
    r"screaming|yell|yells|yelled|yelling|chant|chants|chanting|wrote|written|writing|"
    r"sprayed|spraying|painted|scratched|scratching|spat|names like|name|names)"
)

_GO_BACK: Final[str] = (
    r"\b(?:go|going|get|fuck off|fucking go|piss off|sod off|clear off|send (?:you|them|us|"
    r"him|her) |sent)\s*(?:back|home)\s*(?:to|2)?\s*(?:your|ur|yer|their|his|her|our|"
    r"where|africa|poland|pakistan|india|china|romania|jamaica|syria|the jungle|own|"
    r"country|on the boats)"
)

_HATE_CUES_RAW: Final[tuple[HateCue, ...]] = (
    *(
        HateCue(f"slur_{strand}", strand, rf"\b(?:{words})\b")
        for strand, words in _SLURS_ALWAYS.items()
    ),
    HateCue("slur_unspecified", None, r"\b(?:slurany|slurs|slur)\b"),
    *(
        HateCue(
            f"aimed_insult_{strand}",
            strand,
            rf"\b{_AIMED_VERBS}\s+(?:(?:me|us|him|her|them|my|our|his|their|[a-z]+)\s+){{0,4}}?"
            rf"(?:a |an |the |dirty |filthy |fucking |stupid |bloody |little |fat |thick )*"
            rf"(?:{words})\b",
        )
        for strand, words in _SLURS_AIMED.items()
        if strand != "transgender"
    ),
    HateCue(
        "misgendering",
        "transgender",
        r"\b(?:call|calls|called|calling|refer to|refers to|referring to|address|addresses)\s+"
        r"(?:me|her|him|them|my [a-z]+)\s+(?:as\s+)?(?:a man|a boy|a woman|a girl|he|she|him|"
        r"her|it|sir|mate|madam|love)\b(?=(?:\s+[a-z0-9']+){0,12}?\s+(?:on purpose|"
        r"deliberately|trans|transgender|because i am trans|laughing|laugh))"
        r"|\b(?:on purpose|deliberately)\b(?=(?:\s+[a-z0-9']+){0,12}?\s+(?:trans|transgender))"
        r"|\bcalling me \"?(?:he|it|sir|mate)\b",
    ),
    HateCue(
        "deadnaming",
        "transgender",
        r"\b(?:deadname|deadnaming|deadnamed|dead name|dead naming|old name|birth name|"
        r"old boy s name|old boys name|old girls name|misgender|misgendering|misgendered|"
        r"man in a dress|men in dresses|men in wigs|man in a wig|only (?:2|two) genders|"
        r"always be a (?:boy|girl|man|woman)|not a real (?:woman|man)|what are you)\b",
    ),
    HateCue("go_back", "race", _GO_BACK),
    HateCue(
        "go_home_aimed",
        "race",
        r"\b(?:go home|go home immigrants|go home foreigner|england for the english|"
        r"britain for the british|white power|white pride|14 88|1488|kkk|bnp|britain first|"
        r"no blacks|no irish|speak english|deport|deported|deport them|your kind|you people|"
        r"(?:should|ought to|must|to) be (?:sent|shipped|kicked) (?:back|home|out)|"
        r"send (?:them|you|us|him|her) (?:all )?(?:back|home)|sent back where|"
        r"people like (?:you|us)|immigrants like you|on the boats|back on the boats|"
        r"not welcome here|stealing our jobs|taking our jobs|take your covid|covid back|"
        r"monkey noises|monkey noise|ape noises|eyes? at me|with their eyes|slanty|"
        r"learn english|learn the language|speak proper english|chinese eyes|slitty eyes|"
        r"chinky eyes|kung flu|china virus|bat eater|call (?:me|her|him|us|them) covid|"
        r"(?:do not|dont|did not) want (?:blacks|pakis|immigrants|foreigners|muslims|jews|gays|"
        r"queers|asians|poles|gypsies|travellers|your kind|people like (?:us|you|them)|"
        r"(?:black|asian|muslim|jewish|gay|foreign|polish|disabled|trans) (?:people|families|"
        r"folk|ones)))\b",
    ),
    HateCue(
        "hostile_out",
        None,
        r"\b(?:slurrace|pakis|paki|niggers|nigger|blacks|immigrants|foreigners|muslims|jews|"
        r"gays|queers|poles|romanians|asians|travellers|gypsies|trannies)\s+out\b"
        r"|\bout\s+(?:pakis|blacks|immigrants|muslims|jews|gays)\b"
        r"|\bkill all (?:gays|muslims|jews|blacks|pakis|immigrants|trannies)\b"
        r"|\bno (?:gays|blacks|pakis|muslims|jews|immigrants|foreigners|travellers) "
        r"(?:here|allowed|welcome)\b"
        r"|\bno (?:fucking )?(?:foreigners|immigrants) allowed\b",
    ),
    HateCue(
        "group_dehumanised",
        None,
        r"\b(?:gypsy|gypsies|gyppo|traveller|travellers|pikey|paki|pakis|immigrant|immigrants|"
        r"foreign|foreigner|foreigners|muslim|muslims|jew|jews|jewish|gay|gays|black|blacks|"
        r"asian|asians|polish|romanian|romanians|eastern european|refugee|refugees|trans|"
        r"disabled|spastic|retard|brown|white|chinese|irish|deaf|blind|lesbian|lesbians|"
        r"pakistani|indian|african|arab|somali|kurdish|syrian)\s+(?:scum|filth|vermin|rats|"
        r"dogs|animals|parasites|scroungers|bastard|bastards|cunt|cunts|bitch|bitches|twat|"
        r"twats|prick|pricks|wanker|wankers|fucker|fuckers|freak|freaks|pigs|slag|slags|"
        r"shit|trash)\b",
    ),
    HateCue(
        "names_because_of_group",
        None,
        r"\b(?:call|calls|called|calling|shout|shouts|shouted|shouting)\s+(?:him|her|me|us|"
        r"them|my [a-z]+)\s+(?:names|abuse|horrible names|nasty names|all sorts)\b",
    ),
    HateCue(
        "hate_symbol",
        None,
        r"\b(?:swastika|swastikas|nazi salutes?|nazi symbols?|sieg heil|heil hitler|"
        r"hitler salutes?)\b",
    ),
    HateCue(
        "named_hostility",
        None,
        r"\b(?:racist|racially|racism|homophobic|homophobia|transphobic|transphobia|"
        r"islamophobic|islamophobia|anti muslim|anti-muslim|antisemitic|anti semitic|"
        r"antisemitism|anti jewish|disablist|ableist|bigoted|hate crime|hate incident|"
        r"hate crimes|hate mail)\b",
    ),
    HateCue(
        "headwear_pulled",
        "religion",
        r"\b(?:pull|pulled|pulling|pulls|rip|ripped|ripping|tear|tore|tearing|grab|grabbed|"
        r"grabbing|knock|knocked|knocking|snatch|snatched|yank|yanked|tug|tugged|try|tried|"
        r"trying)\b(?:\s+[a-z0-9']+){0,4}?\s+(?:hijab|headscarf|head scarf|niqab|burka|burqa|"
        r"scarf|turban|kippah|yarmulke|skull cap|patka|veil)s?\b"
        r"|\b(?:hijab|headscarf|niqab|burka|burqa|scarf|turban|kippah|yarmulke|veil)s?\s+"
        r"(?:pulled|ripped|torn|knocked|grabbed|snatched)\b",
    ),
    HateCue(
        "pork_left",
        "religion",
        r"\b(?:pork|bacon|pig s head|pigs head|pig head|pig heads|pork scratchings|ham|"
        r"pig)\b(?:\s+[a-z0-9']+){0,8}?\s+(?:mosque|mosques|muslim|muslims|halal|our door|"
        r"my door|doorstep|the steps|our doorstep|islamic)\b"
        r"|\b(?:mosque|muslim|halal)\b(?:\s+[a-z0-9']+){0,8}?\s+(?:pork|bacon|pig s head|"
        r"pigs head|pig head)\b"
        r"|\b(?:throwing|threw|thrown|leave|left|leaving|put|putting|smeared)\s+"
        r"(?:[a-z]+\s+){0,2}?(?:bacon|pork|pig s head|pigs head)\b",
    ),
    HateCue(
        "mocking_faith",
        "religion",
        r"\b(?:allahu akbar|allah akbar|bomb noises|bomb noise|making bomb|jihadi|"
        r"(?:shouting|shouts|shouted|screaming|saying) (?:things )?about (?:jews|muslims|"
        r"christians|sikhs|hindus|islam|allah)|(?:muslim|muslims|jew|jews|jewish|islam) "
        r"(?:scum|filth|dogs|rats|vermin)|(?:jews|muslims|sikhs|hindus|christians) (?:are "
        r"not|not) welcome|(?:burn|burnt|burned|ripped|tore) (?:the |a |our |my )?"
        r"(?:quran|koran|bible|torah))\b",
    ),
    HateCue(
        "rainbow_flag_attacked",
        "sexual_orientation",
        r"\b(?:rainbow flag|pride flag)\b(?:\s+[a-z0-9']+){0,8}?\s+(?:fire|burn|burnt|burned|"
        r"ripped|torn|stolen|slashed|bin)\b|\b(?:no gays here|kill all gays|gays out)\b",
    ),
    HateCue(
        "mocking_disability",
        "disability",
        r"\b(?:mock|mocks|mocking|mocked|mimic|mimics|mimicking|mimicked|copy|copies|copying|"
        r"copied|imitate|imitates|imitating|impressions|impression|taking the mick|take the "
        r"mick|taking the piss|take the piss|laugh at|laughs at|laughing at|laughed at|"
        r"making fun|make fun|makes fun|made fun|taunt|taunts|taunting|slow noises)\b"
        r"(?=(?:\s+[a-z0-9',.]+){0,12}?\s+(?:wheelchair|walk|walks|walking stick|limp|stammer|"
        r"stutter|speech|disability|disabled|autism|autistic|downs|blind|deaf|crutches|frame|"
        r"cane|hearing aid|learning|tourettes|cerebral palsy|special needs|can not see|can not "
        r"hear|can not walk|can not talk|mobility scooter|condition|wheelchair user|sign "
        r"language|slow)\b)"
        r"|\b(?:wheelchair|walk|walks|limp|stammer|stutter|speech|disability|disabled|autism|"
        r"autistic|downs|blind|deaf|crutches|walking stick|frame|hearing aid|learning "
        r"disability|tourettes|cerebral palsy|special needs|mobility scooter)\b"
        r"(?=(?:\s+[a-z0-9',.]+){0,12}?\s+(?:mock|mocks|mocking|mocked|mimic|mimics|mimicking|"
        r"copy|copies|copying|imitate|imitating|laugh|laughs|laughing|laughed|make fun|"
        r"making fun|taunt|taunting|impressions|take the mick|taking the mick)\b)",
    ),
    HateCue(
        "disability_aid_attacked",
        "disability",
        r"\b(?:kick|kicks|kicked|kicking|steal|steals|stealing|stole|stolen|nick|nicked|"
        r"nicking|took|take|taking|hide|hiding|hid|push|pushed|pushing|block|blocks|blocked|"
        r"blocking|smash|smashed|break|broke|damage|damaged)\s+(?:[a-z]+\s+){0,3}?"
        r"(?:crutches|walking stick|wheelchair|mobility scooter|walking frame|hearing aid|"
        r"white stick|guide dog|ramp|frame)\b(?=(?:\s+[a-z0-9',.]+){0,10}?\s+(?:laugh|laughs|"
        r"laughing|laughed|and called|called|calling|mocking|for fun|on purpose|cripple|"
        r"retard|spastic))"
        r"|\bnot really disabled\b|\bfaking (?:it|being disabled)\b",
    ),
    # The resident says why: "they're doing it because we're black", "I think it's
    # because I'm gay", "we're the only Asian family and nobody else gets it".
    HateCue(
        "motive_identity",
        None,
        r"\b(?:because|cause|as|since|for being|just for being|coz|due to)\s+"
        r"(?:of\s+)?(?:i am|we are|he is|she is|they are|my [a-z]+ is|my [a-z]+ are|"
        r"of (?:my|his|her|our|their)|being|i|we|im)\s+(?:a |an )?(?:GROUPS)\b"
        r"|\bbecause\s+(?:i|he|she|we|they)\s+(?:can not|can t)\s+(?:hear|see|walk|talk)\b"
        r"|\b(?:only|one of the only|the only)\s+(?:GROUPS)\s+(?:family|families|person|"
        r"people|one|ones|couple|man|woman|kid|household|house)\b"
        r"|\b(?:we are|i am|were|im)\s+(?:GROUPS)\b(?=(?:\s+[a-z0-9',.]+){0,12}?\s+"
        r"(?:no one else|nobody else|never bother anyone else|only us|only our|singled out|"
        r"targeted|targeting))"
        r"|\b(?:targeting|targeted|picked on|picking on|singled out)\b(?:\s+[a-z0-9']+){0,5}?"
        r"\s+(?:because|for being|as)\s+(?:i am|we are|he is|she is|they are|of)?\s*"
        r"(?:a |an |my |his |her |our |their )?(?:GROUPS)\b"
        r"|\b(?:ever since|since)\s+(?:i|we|she|he|my [a-z]+)\s+(?:came out|moved in "
        r"and they found out)\b"
        r"|\bcame out as (?:gay|lesbian|bi|bisexual|trans)\b"
        r"(?=(?:\s+[a-z0-9',.]+){0,10}?\s+(?:call|calls|calling|names|chuck|throw|abuse|"
        r"bully|bullying|shout|spit))",
    ),
)

# Cues whose words are ordinary insults unless the message also names the group: "calling
# me a psycho" is hate when "...because I've been in hospital for my mental health".
CONTEXT_REQUIRED: Final[frozenset[str]] = frozenset(
    {"aimed_insult_disability", "names_because_of_group"}
)

# Implicit hostility: an identity that belongs to the victim ("my kippah", "my trans
# daughter", "we're gay") and a hostile act in the same sentence ("spat on", "laughed at",
# "is a freak", "to wind her up"). The identity must be the victim's: "my black neighbour
# keeps shouting at me" names the neighbour, who is not the one being targeted, so
# "neighbour" is deliberately not a victim noun.
VICTIM_IDENTITY: Final[str] = (
    r"\b(?:(?:my|our|his|her|their)\s+(?:kippah|yarmulke|turban|patka|hijab|headscarf|"
    r"head scarf|niqab|burka|burqa|veil|cross|wheelchair|crutches|walking stick|walking frame|"
    r"hearing aid|hearing aids|guide dog|white stick|accent|skin|skin colour|colour|race|"
    r"religion|faith|disability|disabilities|sexuality|stammer|stutter|deafness|blindness|"
    r"autism|tourettes|learning disability|rainbow flag|pride flag|beard|prayer)"
    r"|(?:my|our|his|her)\s+(?:little\s+|young\s+|elderly\s+|old\s+)?(?:trans|transgender|"
    r"non binary|disabled|autistic|deaf|blind|gay|lesbian|bisexual|muslim|jewish|sikh|hindu|"
    r"black|asian|mixed race|polish|romanian|chinese|indian|pakistani|african|traveller)\s+"
    r"(?:son|daughter|child|children|kid|kids|brother|sister|mum|mom|mother|dad|father|"
    r"husband|wife|partner|friend|friends|family|boy|girl|grandson|granddaughter|nan|"
    r"grandad|uncle|aunt|cousin|lodger|boyfriend|girlfriend)"
    r"|(?:i am|we are|he is|she is|they are)\s+(?:a\s+|an\s+)?(?:trans|transgender|"
    r"non binary|disabled|autistic|deaf|blind|gay|lesbian|bisexual|muslim|jewish|sikh|hindu|"
    r"black|asian|mixed race|polish|romanian|a wheelchair user|in a wheelchair|a gay couple|"
    r"a lesbian couple))\b"
)
HOSTILE_ACT: Final[str] = (
    r"\b(?:(?:spat|spit|spits|spitting)\s+(?:at|on)|(?:shout|shouts|shouted|shouting|yell|"
    r"yells|yelling|scream|screams|screaming|swear|swears|swearing)\s+(?:abuse\s+)?(?:at|"
    r"about)|abuse about|abuse at|laugh at|laughs at|laughed at|laughing at|and laughed|"
    r"and laugh|mock|mocks|mocked|mocking|insult|insults|insulted|insulting|taunt|taunts|"
    r"taunted|taunting|bully|bullies|bullied|bullying|picking on|picks on|pick on|wind (?:her|"
    r"him|me|us|them) up|winding (?:her|him|me|us|them) up|to wind|on purpose|deliberately|"
    r"(?:is|are|a|an)\s+(?:freak|freaks|waste of space|disgrace|disgusting|abomination|"
    r"scum|vermin|animal|animals|weirdo|weirdos)|should be (?:put down|locked up|gassed|"
    r"shot|deported|sent back|put away)|talks funny|not welcome|pull|pulled|ripped|"
    r"knocked|threw|throw|thrown|set fire|burnt|burned|vandalised|smashed|defaced)\b"
)

# Words naming a protected group, by strand: used to infer a strand for generic hate cues
# ("racist" -> race is direct, but "[slur]" or "targeted because..." needs the context).
GROUP_WORDS: Final[dict[str, str]] = {
    "race": (
        r"black|asian|brown|polish|poles|poland|romanian|romanians|romania|eastern european|"
        r"chinese|china|indian|pakistani|pakistan|bangladeshi|african|africa|nigerian|somali|"
        r"jamaican|irish|gypsy|gypsies|traveller|travellers|roma|foreign|foreigner|"
        r"foreigners|immigrant|immigrants|mixed race|non white|arab|kurdish|syrian|afghan|"
        r"country|colour|skin|race|racist|racial|racially|ethnic|nationality|accent|"
        r"slurrace|paki|pakis|nigger|monkey|monkeys|white power|no blacks|go back|"
        r"english for|speak english|asylum|refugee|refugees"
    ),
    "religion": (
        r"muslim|muslims|islam|islamic|mosque|jewish|jew|jews|synagogue|sikh|sikhs|gurdwara|"
        r"hindu|hindus|temple|christian|christians|church|catholic|religion|religious|hijab|"
        r"headscarf|niqab|burka|turban|kippah|yarmulke|faith|halal|kosher|islamophobic|"
        r"antisemitic|terrorist|bin laden"
    ),
    "sexual_orientation": (
        r"gay|gays|lesbian|lesbians|bisexual|queer|homosexual|boyfriend and i|"
        r"my boyfriend|my husband and i|my wife and i|partner and i|two dads|two mums|"
        r"homophobic|homophobia|sexuality|pride|rainbow"
    ),
    "disability": (
        r"disabled|disability|disabilities|wheelchair|autistic|autism|downs|down syndrome|"
        r"blind|deaf|crutches|walking stick|mental health|learning disability|special needs|"
        r"cerebral palsy|stammer|stutter|mobility|adhd|tourettes|condition"
    ),
    "transgender": (
        r"trans|transgender|transphobic|transphobia|non binary|nonbinary|deadname|"
        r"transitioning|transitioned"
    ),
}
_GROUPS_ALT: Final[str] = "|".join(GROUP_WORDS[s] for s in GROUP_WORDS if s != "race") + (
    r"|black|asian|brown|polish|romanian|eastern european|chinese|indian|pakistani|"
    r"bangladeshi|african|nigerian|somali|jamaican|irish|gypsy|gypsies|traveller|travellers|"
    r"roma|foreign|a foreigner|an immigrant|immigrants|mixed race|non white|arab|kurdish|"
    r"syrian|afghan|not from here|the only non white|my colour|my skin|our colour|"
    r"our skin|his colour|his skin|her colour|her skin|my race|our race|my religion|"
    r"our religion|my faith|our faith|my accent|wears a (?:hijab|headscarf|niqab|turban|"
    r"kippah|burka)|wear (?:a|the) (?:hijab|headscarf|niqab|turban|kippah|burka)"
)
HATE_CUES: Final[tuple[HateCue, ...]] = tuple(
    cue._replace(pattern=cue.pattern.replace("GROUPS", _GROUPS_ALT)) for cue in _HATE_CUES_RAW
)

# Uses of hostility words that describe nothing hateful: asking what a hate crime is,
# being accused of racism, saying something is *not* racist.
HATE_NEGATORS: Final[str] = (
    r"\b(?:what is a|what counts as|what is|what are|about|is it a|is this a|definition of|"
    r"documentary about|not|nothing|never|accused me of being|accusing me of being|"
    r"called me|says i am|said i was|think i am|not being|without being)\s+"
    r"(?:[a-z]+\s+){0,1}?$"
)


# --- category and subtype --------------------------------------------------------------------


class SubtypeCue(NamedTuple):
    """Words that point to a kind of incident. ``weight`` says how telling the words are."""

    subtype: str
    category: str
    weight: float
    pattern: str


SUBTYPE_CUES: Final[tuple[SubtypeCue, ...]] = (
    # personal: aimed at a person
    SubtypeCue("weapon", "personal", 3.0, WEAPON),
    SubtypeCue(
        "violence",
        "personal",
        2.5,
        r"(?:attack|attacked|attacking|assault|assaulted|assaulting|beat up|beaten up|beating|"
        r"beaten|battered|punch|punched|punching|stab|stabbed|stabbing|glassed|mugged|mugging|"
        r"jumped (?:me|my|him|her)|got jumped|been jumped|was jumped|jumped by|"
        r"hit (?:me|him|her|my|us)|pushed (?:me|him|her|my)|black eye|"
        r"bleeding|unconscious|strangled|strangling|kicking (?:him|her|me|my)|kicked (?:him|her|"
        r"me|my)|fight|fighting|brawl|violence|violent|shot|shots fired|gunshots|knocked out|"
        r"dragged|dragging|kidnap|collapsed|not breathing|hitting (?:his|her|my|me|him)|"
        r"headbutt|headbutted|bottled)",
    ),
    SubtypeCue(
        "threats",
        "personal",
        2.5,
        r"(?:threat|threats|threaten|threatened|threatening|threatning|said (?:he|she|they) "
        r"would|or else|sort me out|going to (?:kill|hurt|stab|burn|smash|get) (?:me|us|my)|"
        r"kill me|kill us|break my legs|smash my face|knock me out|hurt my|burn (?:my|our|the) "
        r"(?:house|car|place)|know where i live|smash (?:the|my|our) (?:place|house|flat|car) up|"
        r"sort you out|get me|do me in|or i will)",
    ),
    SubtypeCue(
        "intruder",
        "personal",
        2.5,
        r"(?:break in|broke in|broken in|breaking in|break into|broke into|broken into|"
        r"breaking into|burglar|burglars|burglary|intruder|intruders|(?:trying|tried|try) to "
        r"(?:get|break|climb|force (?:their|his|her|the) way) (?:in|into)|trying the door|tried "
        r"the door|door handles|attempted break in|forced (?:the|my|our) (?:door|window|lock))",
    ),
    SubtypeCue(
        "fire",
        "personal",
        2.5,
        r"(?:set fire|on fire|set alight|arson|petrol|letterbox|letter box|firebomb|burn my|"
        r"burn the house|burn us out|torch|flames|ablaze|smoke alarm)",
    ),
    SubtypeCue(
        "harassment",
        "personal",
        2.0,
        r"(?:harass|harassing|harassment|harassed|abuse|abusive|abusing|calling me|calls me|"
        r"called me|call me|calling us|calls us|called us|calling my|calls my|called my|"
        r"shouting at me|shouts at me|shouted at me|shouting at us|swear at me|swears at me|"
        r"spitting|spat|spit at|following me|followed me|follows me|filming me|filming us|"
        r"filming my|stalking|stalker|nasty notes|notes through|note through|messages|"
        r"texting me|ringing me|posting|posted|facebook|bully|bullying|bullied|names|"
        r"turning up|turns up|picking on|winding me up|getting at me|knocking on my door|"
        r"banging on my walls|banging on my door|mocking|laughing at|laugh at|make comments|"
        r"making comments|comments to|comments about me|catcall|catcalling|wolf whistle|"
        r"wolf whistling|nuisance calls|pestering|mithering me)",
    ),
    SubtypeCue(
        "intimidation",
        "personal",
        2.0,
        r"(?:intimidat[a-z]*|staring at|stare at|stares at|staring|watching me|watch me|"
        r"watching my house|watching the house|grass|snitch|rat|keep my mouth shut|"
        r"circling|scared to leave|scared to go out|afraid to leave|sit on my wall|"
        r"sat on my wall|standing across the road|watching|follow me|menacing)",
    ),
    SubtypeCue(
        "criminal_damage",
        "personal",
        2.0,
        r"(?:(?:smashed|smash|broke|broken|kicked in|keyed|scratched|slashed|damaged|vandalised|"
        r"vandalized|egged|let down|cut|pulled up|snapped|kicked|threw eggs at|thrown at|"
        r"tampered with|stole|stolen|nicked)\s+"
        r"(?:all\s+)?(?:four\s+)?(?:of\s+)?(?:my|our)\s+(?:[a-z]+\s+)?(?:window|windows|car|door|"
        r"fence|tyres|tires|wing mirror|mirror|property|house|shed|plants|scooter|windscreen|"
        r"van|gate|brake cables|garden|bike)|(?:my|our) (?:[a-z]+ ){0,2}(?:car|van|fence|window|"
        r"windows|door|tyres|wing mirror) (?:was|were|has been|have been|got|is|keeps getting) "
        r"(?:smashed|keyed|scratched|vandalised|damaged|kicked in|broken|slashed)|eggs|egged|"
        r"keyed|wing mirror|tyres|brake cables|mobility scooter)",
    ),
    # nuisance: the community's peace
    SubtypeCue(
        "noise",
        "nuisance",
        1.5,
        r"(?:noise|noisy|loud|loudly|music|bass|party|parties|partying|barking|barks|bark|"
        r"stomping|stomp|banging|drilling|drums|karaoke|alarm|speakers|racket|cant sleep|"
        r"can not sleep|no sleep|keeping me awake|kept awake|tv|telly|shouting and screaming|"
        r"screaming|screams|arguing|hoover|washing machine|dj|bells|live music|revving|"
        r"extractor|hums|humming|thudding|tune|chimes|building work|construction|weights|band "
        r"practice|rehearsal|shakes|shaking|vibration|shouts at night|shouting at night|"
        r"not sleeping|sleep|sleeping|3am|4am|2am|midnight|all night|all hours|slamming|slam)",
    ),
    SubtypeCue(
        "drugs",
        "nuisance",
        2.0,
        r"(?:drug|drugs|dealing|dealer|dealers|dealin|weed|cannabis|skunk|crack|heroin|"
        r"cocaine|coke|spice|nos|nitrous|balloons|county lines|smoking weed|smell of weed|"
        r"crack house|selling|inhaling|smoking)",
    ),
    SubtypeCue(
        "drinking",
        "nuisance",
        2.0,
        r"(?:drinking|drinkers|drunk|drunks|drunken|cans|alcohol|booze|beer|lager|pub|"
        r"off licence|street drinkers|drink)",
    ),
    SubtypeCue(
        "begging",
        "nuisance",
        2.0,
        r"(?:begging|beggar|beggars|beg|asking (?:every|everyone|people|for) (?:for )?money|"
        r"asks everyone for money|asking for money|for change)",
    ),
    SubtypeCue(
        "vehicle_nuisance",
        "nuisance",
        1.5,
        r"(?:racing|boy racers|racers|speeding|motorbike|motorbikes|motor bikes|quad|quads|"
        r"quad bikes|scrambler|scramblers|off road|moped|mopeds|wheelies|donuts|doughnuts|"
        r"car meet|car meets|revving|screeching|parking|parked|parks|double yellows|"
        r"pavement parking|dropped kerb|joyriding|joyriders|bikes|engines|tyres screeching)",
    ),
    SubtypeCue(
        "neighbour_dispute",
        "nuisance",
        2.0,
        r"(?:fence|hedge|tree|boundary|dispute|falling out|fell out|shared driveway|my drive|"
        r"driveway|blocking my drive|blocks my drive|parking space|his bins|their bins|"
        r"my bin|cctv|camera points|garden waste over|over my fence|had words|shouting match|"
        r"my land|moaning at me|mithers|mither|leaves in my)",
    ),
    # Who is there says less than what they do: "lads" and "kids" appear in every kind of
    # report, so they weigh little on their own.
    SubtypeCue(
        "rowdy_behaviour",
        "nuisance",
        0.75,
        r"(?:youths|teens|teenagers|gangs? of kids|lads|kids|group of|gang of|boys|girls)",
    ),
    SubtypeCue(
        "rowdy_behaviour",
        "nuisance",
        1.5,
        r"(?:hanging around|hanging "
        r"round|hanging about|hang about|hang around|hangin|gather|gathering|messing about|"
        r"mucking about|rowdy|lairy|climbing on|climbing|roof|roofs|football|ball games|"
        r"knocking on doors|ringing my doorbell|doorbell|trolleys|snowballs|hangout|loitering|"
        r"racing horses|being loud|kicking off)",
    ),
    SubtypeCue(
        "fireworks",
        "nuisance",
        2.0,
        r"(?:fireworks|firework|rockets|bangers)",
    ),
    SubtypeCue(
        "dog_nuisance",
        "nuisance",
        2.0,
        r"(?:off (?:the )?lead|dogs? (?:get|gets|got) out|dogs? loose|dangerous dog|went for|"
        r"going for (?:people|ppl|me|kids)|jumped up at|dogs? running)",
    ),
    SubtypeCue(
        "trespass",
        "nuisance",
        2.0,
        r"(?:cutting through my|cut through my|trespass|trespassing|through my garden)",
    ),
    # environmental: shared spaces
    SubtypeCue(
        "graffiti",
        "environmental",
        3.0,
        r"(?:graffiti|graffitied|tags|tagged|tagging|sprayed|spray painted|spray paint|"
        r"spraying|painted on|scrawled)",
    ),
    SubtypeCue(
        "fly_tipping",
        "environmental",
        3.0,
        r"(?:fly tipping|fly tip|flytipping|flytipped|fly tipped|flytip|tipping|tipped|"
        r"dumped|dumping|mattress|mattresses|sofa|fridge|rubble|asbestos|black bags)",
    ),
    SubtypeCue(
        "litter",
        "environmental",
        2.0,
        r"(?:litter|littering|rubbish|chip papers|wrappers|cans everywhere|bins overflowing|"
        r"overflowing bins|overflowing|broken glass|needles|syringes|rats|foxes|"
        r"fast food rubbish|rubbish bags|all over the (?:pavement|path|street|road|playground|"
        r"park|floor|estate|place|green)|everywhere)",
    ),
    SubtypeCue(
        "dog_fouling",
        "environmental",
        3.0,
        r"(?:dog mess|dog poo|dog muck|dog dirt|dog fouling|fouling|foul|poo|picking up "
        r"after|pick up after|dog waste)",
    ),
    # Damage to shared things: a damage word near a public object, or "vandalised".
    SubtypeCue(
        "vandalism",
        "environmental",
        3.0,
        r"(?:vandalised|vandalized|vandalism|vandals|burnt out|burned out|ripped out|"
        r"(?:smashed|smashing|broken|broke|snapped|snapping|ripped|ripping|damaged|kicked|"
        r"burnt|burned|wrecked|trashed|pulled)(?:\s+[a-z]+){0,4}?\s+(?:bus shelter|shelter|"
        r"swings|swing|bench|benches|noticeboard|street lights|street light|lights|play park|"
        r"playground|trees|library|phone box|underpass|signs|sign|bins|bin|railings|slide|"
        r"goalposts|windows of)|(?:bus shelter|swings|bench|benches|noticeboard|lights|"
        r"trees|signs|playground|slide)(?:\s+[a-z]+){0,4}?\s+(?:(?:has|have|had|was|were|is|"
        r"are|keeps|keep)\s+)?(?:been\s+|getting\s+|being\s+)?(?:smashed|"
        r"broken|vandalised|snapped|ripped|damaged|burnt|wrecked|trashed))",
    ),
    SubtypeCue(
        "abandoned_vehicle",
        "environmental",
        3.0,
        r"(?:abandoned|burnt out car|burnt out moped|burnt out van|no tax|untaxed|"
        r"no number plates|number plates|not moved|has not moved|hasnt moved|been dumped|"
        r"dumped a caravan|caravan|left on the verge|flat tyres)",
    ),
    SubtypeCue(
        "bonfire",
        "environmental",
        3.0,
        r"(?:bonfire|bonfires|smoke|smokes|smoky|fumes|burning (?:rubbish|leaves|plastic|waste|"
        r"garden|cables|tyres|old|stuff)|burns (?:rubbish|plastic|garden|his|their)|garden waste|"
        r"wood burner|fire in (?:their|next doors|his|the) garden|garden fires|oil drum|"
        r"black smoke)",
    ),
)

# Not an ASB report at all: greetings, thanks, questions about a case or the service.
NONE_CUES: Final[dict[str, str]] = {
    "status": (
        r"\b(?:casereference|any update|any news|an update|update on|updates on|progress|"
        r"what is happening with|whats happening with|happening with my|find out what|"
        r"my case|my report|case officer|reference is|reference number|crime reference|"
        r"crime number for|who is my|spoc|point of contact|been updated|update me|"
        r"updated by|change my|cancel my)\b"
    ),
    "complaint": (
        r"\b(?:make a complaint|want to complain|like to complain|formal complaint|complain "
        r"about (?:the|how|your|my case|you)|complaint about|useless|rubbish service|"
        r"waste of time|nobody (?:ever )?"
        r"(?:does|did|came|has|called|rang|got back)|no one (?:ever )?(?:does|did|came|has|"
        r"called|rang|got back)|still waiting|nobody has called|never got back|not got back|"
        r"case review|community trigger|thank you to|good service)\b"
    ),
    # a question about the service: "how do I report...", "is this the council"
    "question_start": (
        r"^ (?:what|how|where|when|who|can|could|do|does|is|are|should|will|would)\b"
        r"(?:\s+[a-z0-9']+){0,12}?\s+(?:report|reports|reporting|number|email|address|"
        r"leaflet|statistics|hours|open|council|contact|police|101|999|this|service|"
        r"crime|asb|anti social|stand for|details|private|phone|name|polish|urdu|language|"
        r"robot|real person|person|happen|happens|call|ring|allowed|legal|insurance)\b"
    ),
    "question": (
        r"(?:\bdo i (?:call|ring|phone)\b|\bshould i (?:call|ring|phone)\b|\bcall you or 999\b|"
        r"\bor should i ring\b|\bwrong (?:number|person)\b|\btesting\b|\bweather\b|"
        r"\bis this the council\b|\bis this (?:the )?[a-z]+ council\b|\bare you a\b|"
        r"\bcan you hear me\b|\bis anyone there\b|\bare you still there\b|\bstill there\b|"
        r"\bon (?:his|her|my) behalf\b|\bwhat does asb\b|\bschool project\b|\bwhat is a\b|"
        r"\bwhat counts\b)"
    ),
    "greeting": (
        r"^ (?:(?:hi|hello|hiya|hey|good morning|good afternoon|good evening|morning|ok|okay|"
        r"thanks|thank you|thank you so much|cheers|ta|yes|no|yeah|nope|bye|no thanks|"
        r"great|lovely|sorry|thanks for your help|brilliant|that is all|that is all for now|"
        r"you|there)\s*(?:[.,]\s*)?)+$"
    ),
}
