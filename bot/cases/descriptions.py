"""What an answer says of people beyond names and addresses, read into concepts that
different wordings share: the things residents notice (vehicles and their makes, dogs and
their breeds, clothes, hair, marks, aids), what the people do, the business or role they
belong to, and the kind of spot it happens at. "Alsatian" and "german shepherd" are one
"dog:shepherd", "balaclavas" and "face coverings" one "wear:face", "a red quad" is a
"vehicle:quad" and a "vehicle-colour:red".

A business is read with where the answer puts the people: "the barbers" is the business,
"the flat above the barbers" someone living over it ("above:barber"), "outside the pub"
only where it happens ("near:pub"). Every word here is general vocabulary; names of
places and businesses are read from capitals (`named_places`).
"""

from __future__ import annotations

import re

from bot.privacy.contact import without_postcodes

# Each entry: the wordings (a regular expression, matched on whole words of lower-case
# text) and the concepts they name. Earlier entries win where wordings overlap
# ("scrambler bikes" is an off-road bike, not a bicycle).
_LEXICON: tuple[tuple[str, str], ...] = (
    # Businesses, before the words inside their names ("fish bar", "vape shop").
    (r"nail (?:bar|salon)s?", "biz:nails"),
    (r"fish bar|fish and chips?(?: shop)?|fish shop|chip shop|chippy", "biz:chippy biz:takeaway"),
    (r"shisha(?: bar| lounge| room| cafe)?", "biz:shisha"),
    (r"vape shops?", "biz:vape"),
    (r"phone (?:shop|repair)s?", "biz:phones"),
    (r"off[- ]?licen[cs]es?|offy|offie|wine shop", "biz:offlicence"),
    (r"mini ?markets?|mini ?marts?|convenience stores?|24 ?(?:hr|hour) (?:store|shop)|"
     r"corner shop|newsagents?|grocers?|deli|supermarket", "biz:shop biz:minimarket"),
    (r"(?:hand )?car ?wash(?:es)?|valeting", "biz:carwash"),
    (r"scrap ?yards?|scrap (?:metal|dealers?|merchants?)|metals|breakers(?: yard)?", "biz:scrap"),
    (r"skip hire|skips", "biz:skips"),
    (r"scaffold(?:ing)? (?:yard|firm)|scaffolders?", "biz:scaffold"),
    (r"building site|new development|construction site", "biz:building"),
    (r"bookies|bookmakers?|betting shops?", "biz:bookies"),
    (r"laund(?:e)?rettes?|laundromats?", "biz:launderette"),
    (r"barbers?(?: shop)?|barber ?shops?|hairdressers?|salons?", "biz:barber"),
    (r"take ?aways?|chinese|kebab(?: shop| house| van)?s?|pizza(?: place| shop)?|"
     r"chicken(?: shop)?|fried chicken|grill|burger (?:van|bar|place)|curry house|cafe",
     "biz:takeaway"),
    (r"mot(?: place| garage| centre)?|motors|mechanics|tyre (?:place|shop|fitters?)|"
     r"car repairs?|body ?shop|(?<!his )(?<!her )(?<!their )garage(?! doors?| roofs?| block)",
     "biz:motor"),
    (r"night ?clubs?|clubs?", "biz:club biz:drink"),
    (r"pubs?|inns?|public houses?|taverns?|beer garden|(?<!his )(?<!her )(?<!my )arms",
     "biz:pub biz:drink"),
    (r"bars?", "biz:bar biz:drink"),
    (r"shop|store", "biz:shop"),
    # Roles: what someone is to a place.
    (r"caretakers?|concierge|janitors?|wardens?", "role:caretaker"),
    (r"(?:live-in )?landlords?|landlady|landladies", "role:landlord"),
    (r"farmers?|land ?owners?", "role:farmer"),
    (r"shopkeepers?|shop owners?|owners? of the|(?<!dog )(?<!dog's )owner|runs the|who runs|"
     r"who owns|owns the|managers?|proprietors?", "role:owner"),
    (r"(?<!not )(?<!not the )staff|who works? (?:at|in|on|behind)|works (?:at|in|on|behind)|"
     r"behind the bar|bar ?(?:staff|maids?|men)|employees?|"
     r"men who work|lads who work", "role:staff"),
    (r"bouncers?|door ?staff|door ?men|security guards?", "role:doorstaff"),
    (r"delivery (?:drivers?|riders?|lads?|box(?:es)?)|deliveroo|just eat|uber eats|couriers?",
     "role:delivery"),
    (r"dog ?walkers?", "role:dogwalker"),
    (r"carers?", "role:carer"),
    (r"builders(?!')|workmen|contractors|roofers", "role:builder"),
    # Not the people a business lets do something ("lets customers blast music").
    (r"(?<!lets )(?<!let )(?<!letting )(?<!serves )(?<!serving )"
     r"(?:customers?|punters?|patrons?|regulars?|smokers)|waiting for (?:a |their )?"
     r"(?:haircuts?|food|orders?|takeaways?|taxis?)|queu(?:e|ing) for", "role:customer"),
    (r"plot ?holders?", "role:plotholder"),
    # Vehicles, their makes and models.
    (r"e-?bikes?|electric bikes?", "vehicle:ebike vehicle:bike"),
    (r"e-?scooters?|electric scooters?|hire scooters?", "vehicle:escooter"),
    (r"mobility scooters?", "vehicle:mobility"),
    (r"mopeds?|delivery (?:bikes?|scooters?)", "vehicle:moped"),
    (r"scramblers?(?: bikes?)?|dirt ?bikes?|off[- ]?road (?:motor ?)?bikes?|trail bikes?|"
     r"pit ?bikes?|moto-?x bikes?|motocross bikes?", "vehicle:offroad vehicle:motorbike"),
    (r"quads?(?: bikes?)?", "vehicle:quad"),
    (r"motor ?bikes?|motorcycles?", "vehicle:motorbike"),
    (r"bmx(?:e?s)?", "vehicle:bmx vehicle:bike"),
    (r"(?:push ?|mountain |pedal )?bikes?|bicycles?|cycles?", "vehicle:bike"),
    (r"scooters?", "vehicle:scooter"),
    (r"camper(?: ?vans?)?|motorhomes?", "vehicle:camper"),
    (r"caravans?", "vehicle:caravan"),
    (r"tippers?|pick-? ?ups?|lorr(?:y|ies)|trucks?|hgvs?", "vehicle:lorry"),
    (r"minibus(?:es)?", "vehicle:minibus"),
    (r"taxis?|private hire", "vehicle:taxi"),
    (r"tractors?", "vehicle:tractor"),
    (r"transit (?:custom|connect|courier)", "vehicle:van make:ford model:="),
    (r"transit(?: van)?s?", "vehicle:van make:ford"),
    (r"vans?", "vehicle:van"),
    (r"cars?|motors?", "vehicle:car"),
    # A model names its make too; two models of one make are two vehicles.
    (r"a[1-8]|q[2-8]|r8", "make:audi model:="),
    (r"audi", "make:audi"),
    (r"[1-8] series|x[1-7]", "make:bmw model:="),
    (r"bmws?|beemer", "make:bmw"),
    # Models that are also everyday words (a polo shirt, a Puma tracksuit, a park ranger,
    # the civic centre) only after their make.
    (r"golf(?! course| club| caddy)|passat|tiguan|transporter|scirocco|"
     r"(?<=vw )(?:polo|caddy)|(?<=volkswagen )(?:polo|caddy)", "make:vw model:="),
    (r"vw|volkswagen", "make:vw"),
    (r"fiesta|mondeo|kuga|(?<=ford )(?:focus|ranger|puma|galaxy)", "make:ford model:="),
    (r"ford", "make:ford"),
    (r"corsa|astra|insignia|vectra|zafira|vivaro|mokka", "make:vauxhall model:="),
    (r"vauxhall", "make:vauxhall"),
    (r"sprinter|vito", "make:mercedes model:="),
    (r"mercedes|merc|benz|amg", "make:mercedes"),
    (r"range rovers?|evoque|land ?rovers?|defender", "make:landrover"),
    (r"subaru|impreza|scooby", "make:subaru"),
    (r"qashqai|juke|micra|skyline|navara|(?<=nissan )leaf", "make:nissan model:="),
    (r"nissan", "make:nissan"),
    (r"prius|yaris|hilux|corolla|aygo|supra", "make:toyota model:="),
    (r"toyota", "make:toyota"),
    (r"(?<=honda )(?:civic|jazz)", "make:honda model:="),
    (r"honda", "make:honda"),
    (r"leon|ibiza", "make:seat model:="),
    (r"seat (?=leon|ibiza)|cupra", "make:seat"),
    (r"octavia|fabia|(?<=skoda )superb", "make:skoda model:="),
    (r"skoda", "make:skoda"),
    (r"ninja", "make:kawasaki model:="),
    (r"kia|hyundai|peugeot|renault|citroen|fiat|jeep|volvo|tesla|porsche|lamborghini|ferrari|"
     r"mazda|mitsubishi|lexus|jaguar|ktm|kawasaki|yamaha|suzuki|ducati|triumph|harley",
     "make:="),  # each its own make
    (r"no (?:number )?plates?|no reg(?:istration)?(?: plates?)?|without (?:number )?plates",
     "vehicle:noplates"),
    # Dogs, by breed and by the family people confuse them within.
    (r"xl bull(?:y|ies)|american bull(?:y|ies)|bull(?:y|ies)(?: type| breed)?|bull breed",
     "dog:bully dogs:bull"),
    (r"pit ?bulls?", "dog:pitbull dogs:bull"),
    (r"staff(?:y|ie|ies|ys)|staffordshire(?: bull terriers?)?|(?:english )?bull terriers?",
     "dog:staffy dogs:bull"),
    (r"(?:american |french |english )?bulldogs?|frenchies", "dog:bulldog dogs:bull"),
    (r"cane corsos?|(?:bull)?mastiffs?", "dog:mastiff dogs:mastiff"),
    (r"rottweilers?|rotties", "dog:rottweiler dogs:rottweiler"),
    (r"dobermann?s?", "dog:doberman dogs:doberman"),
    (r"alsatians?|german shepherds?|belgian shepherds?|malinois", "dog:shepherd dogs:shepherd"),
    (r"husk(?:y|ies)|malamutes?", "dog:husky dogs:husky"),
    (r"akitas?", "dog:akita dogs:akita"),
    (r"labradors?|labs?|retrievers?", "dog:labrador dogs:retriever"),
    (r"(?:cocker |springer )?spaniels?|cockapoos?", "dog:spaniel dogs:spaniel"),
    (r"collies?|sheepdogs?", "dog:collie dogs:collie"),
    (r"jack russells?|westies?|yorkies?|terriers?", "dog:terrier dogs:terrier"),
    (r"greyhounds?|lurchers?|whippets?", "dog:sighthound dogs:sighthound"),
    (r"poodles?|chihuahuas?|dachshunds?|sausage dogs?|pugs?|pomeranians?", "dog:toy dogs:toy"),
    (r"dogs?|pupp(?:y|ies)", "dog:dog"),
    # Clothes.
    (r"hi-? ?vi[sz]|high-? ?vi[sz](?:ibility)?", "wear:hivis"),
    (r"balaclavas?|face coverings?|faces? covered|(?:ski )?masks?|masked|snoods?", "wear:face"),
    (r"hoods? up|hoodies?|hooded|hoods", "wear:hood"),
    (r"tracksuits?|trackies|tracky|trackie", "wear:tracksuit"),
    (r"puffer|puffa", "wear:puffer"),
    (r"camo|camouflage|army (?:jacket|coat|style)|military", "wear:camo"),
    (r"dressing gown|pyjamas|pajamas|onesie|slippers", "wear:nightwear"),
    (r"flat cap", "wear:flatcap"),
    (r"(?:football|footy|away|home) (?:shirt|top|kit)|(?:utd|united|city) (?:shirt|top)",
     "wear:football"),
    (r"north face|stone island|canada goose|moncler|gucci|designer bag|man bag|bum bag",
     "wear:designer"),
    (r"school uniform|uniform|blazers?", "wear:uniform"),
    (r"leather jacket", "wear:leather"),
    (r"caps?|beanie|bobble hat", "wear:cap"),
    # Hair, marks and build.
    (r"ginger|red[- ]hair(?:ed)?|redhead|red head", "hair:ginger"),
    (r"blond(?:e)?|bleached", "hair:blonde"),
    (r"(?:grey|gray|white)[- ]hair(?:ed)?|grey ponytail", "hair:grey"),
    (r"(?:dark|black|brown)[- ]hair(?:ed)?", "hair:dark"),
    (r"(?:pink|purple|green|blue) (?:hair|mohican|mohawk)|dyed hair", "hair:dyed"),
    (r"bald(?:ing)?|shaved head|shaven head|skinhead", "hair:bald"),
    (r"dread(?:s|locks)", "hair:dreads"),
    (r"pony ?tails?", "hair:ponytail"),
    (r"mohicans?|mohawks?", "hair:mohican"),
    (r"beards?|bearded", "body:beard"),
    (r"(?:face|facial) tattoos?|tattoos? on (?:his|her) face", "body:tattoo body:facetattoo"),
    (r"neck tattoos?|tattoos? on (?:his|her) neck", "body:tattoo body:necktattoo"),
    (r"tattoos?|tattooed", "body:tattoo"),
    (r"scars?", "body:scar"),
    (r"glasses|specs", "body:glasses"),
    (r"limp(?:s|ing)?", "aid:limp"),
    (r"walking sticks?|sticks?|canes?|crutches", "aid:stick"),
    (r"wheelchairs?", "aid:wheelchair"),
    (r"slings?", "aid:sling"),
    (r"neck (?:brace|collar)|surgical collar", "aid:neckbrace"),
    (r"tall|6 ?ft|six foot|massive|huge|giant", "build:tall"),
    (r"short|small|little|tiny", "build:short"),
    (r"skinny|thin|slim|scrawny", "build:thin"),
    (r"stocky|heavily built|heavy set|heavy|fat|overweight|chunky", "build:heavy"),
    # Things people carry or have with them.
    (r"(?:shopping )?troll(?:ey|ies)", "item:trolley"),
    (r"prams?|pushchairs?|buggies|buggy", "item:pram"),
    (r"(?:party |bluetooth |wheeled )?speakers?|sound system|boom ?box|party box", "item:speaker"),
    (r"flags?", "item:flag"),
    (r"drones?", "item:drone"),
    (r"air (?:rifle|gun|pistol)s?|pellet guns?|bb guns?|airguns?", "item:airgun"),
    (r"shot ?guns?|rifles?|guns?", "item:gun"),
    (r"knife|knives|blades?|machetes?", "item:knife"),
    (r"(?:baseball )?bats?", "item:bat"),
    (r"trampoline", "item:trampoline"),
    (r"hot tub", "item:hottub"),
    # Spots: the kind of place it happens.
    (r"under ?pass(?:es)?|subways?", "spot:underpass"),
    (r"(?:war )?memorial(?: gardens?)?|cenotaph", "spot:memorial"),
    (r"bus (?:stop|shelter)s?|shelters?", "spot:busstop"),
    (r"bus station", "spot:busstation"),
    (r"skate ?parks?|skate ramps?|ramps", "spot:skatepark"),
    (r"allotments?|plots?", "spot:allotment"),
    (r"(?:indoor )?markets?(?: square| place| hall)?", "spot:market"),
    (r"doorways?", "spot:doorway"),
    (r"play ?(?:area|park|ground)s?|swings", "spot:playground"),
    (r"(?:boating )?lakes?|ponds?", "spot:lake"),
    (r"canal(?: basin)?|tow ?path", "spot:canal"),
    (r"bridleways?|footpaths?|cycle ?paths?|trails?", "spot:path"),
    (r"rec(?:reation ground)?|playing fields?|fields?|pitch(?:es)?|(?:village|the) green",
     "spot:field"),
    (r"car ?parks?", "spot:carpark"),
    (r"garages|garage (?:block|doors?|roofs?)|lock-? ?ups?", "spot:garages"),
    (r"alley(?:way)?s?|gennels?|ginnels?|jitt(?:y|ies)|snickets?|twittens?", "spot:alley"),
    (r"roundabouts?", "spot:roundabout"),
    (r"health centre|surgery|medical centre|doctors|pharmacy|chemist", "spot:surgery"),
    (r"(?:railway |train )?stations?", "spot:station"),
    (r"brick ?(?:yard|works)|quarr(?:y|ies)|waste ?(?:ground|land)", "spot:wasteground"),
    (r"woods?|woodland|copse", "spot:woods"),
    (r"stair ?wells?|stairs|landings?|lifts?|corridors?|hallways?|bin stores?|foyer",
     "spot:communal"),
    (r"lay-? ?bys?", "spot:layby"),
    (r"church(?:yard)?|chapel", "spot:church"),
    (r"schools?|academy|college", "spot:school"),
    (r"librar(?:y|ies)", "spot:library"),
    (r"parks?", "spot:park"),
    (r"shops|parade|precinct|shopping centre|retail park", "spot:shops"),
    (r"(?:foot)?bridges?", "spot:bridge"),
    (r"cashpoints?|atms?|cash machines?", "spot:cashpoint"),
    (r"leisure centre|sports centre", "spot:leisure"),
    (r"community centre|pavilion|village hall", "spot:hall"),
    (r"industrial estate|trading estate|business park", "spot:industrial"),
    (r"ring road|bypass|dual carriageway|link road", "spot:bigroad"),
    # What they do.
    (r"street drinkers?|drink(?:ing|ers?|s)?|drunk(?:s|en)?|cans|cider|lager|beer|alcohol|"
     r"vodka|intoxicated|swaying", "act:drinking"),
    (r"weed|cannabis|skunk|spliffs?|dealing|drugs?|dealers?|crack|needles?|syringes?",
     "act:drugs"),
    (r"nitrous|laughing gas|(?:silver |gas )?canisters?|balloons", "act:nitrous"),
    (r"vap(?:e|es|ing)|smok(?:ing|ers?)|fags?|cigarettes?", "act:smoking"),
    (r"fires?|bonfires?|set(?:ting)? (?:fire|alight)|alight|burn(?:ing|s|t)?|arson|lighting",
     "act:fire"),
    (r"throw(?:ing|in|s|n)?|threw|chuck(?:ing|in|s|ed)?|lob(?:bing|s|bed)?|pelting",
     "act:throwing"),
    (r"stones|rocks|bricks", "item:stones"),
    (r"eggs|egging|egged", "item:eggs"),
    (r"fight(?:ing|s)?|brawl(?:ing|s)?|punch(?:ing|ed)", "act:fighting"),
    (r"begg(?:ing|ar)|begs?|asking (?:people |folk |everyone )?for (?:money|change|cash)|"
     r"demanding (?:money|cash)|asks? (?:people )?for (?:money|change)", "act:begging"),
    (r"rac(?:ing|es|e)|wheel ?spins?|doughnuts?|donuts?|burn ?outs?|handbrake turns?|"
     r"drifting|speeding|boy racers?", "act:racing"),
    (r"rev(?:s|ving|ved)?|exhaust", "act:revving"),
    (r"wheelies?", "act:wheelies"),
    (r"music|bass|part(?:y|ies)|sound system|amplified|live bands?|drums?", "act:music"),
    (r"shout(?:ing|s|ed)?|scream(?:ing|s|ed)?|yell(?:ing|s|ed)?|swear(?:ing|s)?|swore|"
     r"abus(?:e|ive|ing)|verbal|effing|gobby|insults?|bad words|harass(?:ing|es|ed)?",
     "act:shouting"),
    (r"racis(?:t|m)|racially", "act:racist"),
    (r"graffiti|tagging|spray(?:ing)? paint(?:ing)?|spray cans?|spraying", "act:graffiti"),
    (r"smash(?:ing|ed|es)?|vandalis(?:ing|ed|m)|damag(?:ing|ed)|scratch(?:ing|ed)|"
     r"key(?:ing|ed)", "act:damage"),
    (r"fly[- ]?tip(?:ping|ped|pers?)?|dump(?:ing|ed|s)?|tipping|rubble|hardcore", "act:tipping"),
    (r"shoplift(?:ing|s|ed|ers?)?|steal(?:ing|s)?|stole|nick(?:ing|ed)|thie(?:f|ves)|"
     r"robb(?:ing|ed|ery)|take things|without paying", "act:theft"),
    (r"snatch(?:ing|ed|es)?|grabb(?:ing|ed|s) (?:\w+ )?(?:bags?|handbags?|phones?)",
     "act:theft act:snatching"),
    (r"knock(?:ing)? (?:on )?doors? and run(?:ning)?|knock (?:door|and) run|"
     r"ring(?:ing)? (?:the )?door ?bells", "act:knockrun"),
    (r"foul(?:ing|s|ed)?|dog (?:mess|poo|muck|dirt)|picks? up|make toilet", "act:fouling"),
    (r"off (?:the |a )?lead|off-lead|no lead|without (?:a )?leads?|loose|roaming|"
     r"never on a lead|escaped|got out", "act:offlead"),
    (r"bark(?:ing|s)?|howl(?:ing|s)?", "act:barking"),
    (r"feed(?:s|ing)? (?:the )?(?:pigeons|birds|gulls|seagulls|ducks)|pigeons", "act:feeding"),
    (r"film(?:ing|s|ed)?|post(?:ing|s|ed)? (?:it )?(?:online|on)", "act:filming"),
    (r"spit(?:ting|s)?|spat", "act:spitting"),
    (r"urinat(?:ing|es|e)|wee(?:ing)?|peeing", "act:urinating"),
    (r"park(?:s|ed|ing)? (?:\w+ )?(?:on|across) the (?:pavement|path|verge|grass|zig ?zags)|"
     r"zig ?zags|double yellows|blocks?(?:ing)? (?:the |my |our )?(?:drive|road|pavement)",
     "act:parking"),
    (r"football|kick(?:ing)? (?:a |the )?ball", "act:ballgames"),
    (r"climb(?:ing|s)?", "act:climbing"),
)  # fmt: skip


# --- Finding the lexicon's wordings: each word start is tried only against the wordings
# that can start with its first character, which keeps reading an answer fast.


def _first_characters(pattern: str) -> set[str]:
    """The characters a match of a lexicon wording can start with ("(?:push ?|mountain
    )?bikes?" starts with p, m or b), so each word is tried only against the wordings
    that could start there."""
    found: set[str] = set()
    for branch in _branches(pattern):
        while branch.startswith("(?<!"):  # a look-behind takes no characters
            branch = branch[branch.index(")") + 1 :]
        if branch.startswith("(?:"):
            end = _closing(branch)
            found |= _first_characters(branch[3:end])
            if branch[end + 1 : end + 2] in ("?", "*"):
                found |= _first_characters(branch[end + 2 :])
        elif branch[:1].isalnum():
            found.add(branch[0])
        else:
            return set("abcdefghijklmnopqrstuvwxyz0123456789")
    return found


def _branches(pattern: str) -> list[str]:
    """The alternatives of a pattern at its top level."""
    branches, depth, start = [], 0, 0
    for i, char in enumerate(pattern):
        depth += char == "("
        depth -= char == ")"
        if char == "|" and depth == 0 and pattern[i - 1] != "\\":
            branches.append(pattern[start:i])
            start = i + 1
    return [*branches, pattern[start:]]


def _closing(pattern: str) -> int:
    depth = 0
    for i, char in enumerate(pattern):
        depth += char == "("
        depth -= char == ")"
        if depth == 0:
            return i
    return len(pattern) - 1


def _by_first_character(entries: list[int]) -> dict[str, re.Pattern[str]]:
    """One pattern per first character, keeping the lexicon's order within each."""
    firsts = {i: _first_characters(_LEXICON[i][0]) for i in entries}
    return {
        char: re.compile(
            "|".join(f"(?P<c{i}>{_LEXICON[i][0]})" for i in entries if char in firsts[i]).join(
                ("(?:", r")\b")
            )
        )
        for char in set().union(*firsts.values())
    }


_IDS = {f"c{i}": tuple(ids.split()) for i, (_, ids) in enumerate(_LEXICON)}
_BY_FIRST = _by_first_character(list(range(len(_LEXICON))))
_PHRASES_BY_FIRST = _by_first_character(
    [i for i, (pattern, _) in enumerate(_LEXICON) if " " in pattern]
)
_SPOTS_BY_FIRST = _by_first_character(
    [i for i, (_, ids) in enumerate(_LEXICON) if ids.startswith("spot:")]
)
_WORD_START = re.compile(r"\b\w")


def _matches(text: str, patterns: dict[str, re.Pattern[str]]) -> list[re.Match[str]]:
    """Each lexicon wording in the text, earliest first, none overlapping."""
    found: list[re.Match[str]] = []
    end = 0
    for start in _WORD_START.finditer(text):
        position = start.start()
        pattern = patterns.get(text[position])
        if position < end or pattern is None:
            continue
        match = pattern.match(text, position)
        if match is not None:
            found.append(match)
            end = match.end()
    return found


def phrases(text: str) -> list[str]:
    """The lexicon's wordings of two or more words in a lower-case text ("jack russell",
    "fly tipping")."""
    return [m.group(0) for m in _matches(text, _PHRASES_BY_FIRST) if " " in m.group(0)]


def starts_with_spot(text: str) -> bool:
    """The lower-case text starts with a kind of spot ("doorway", "car park")."""
    pattern = _SPOTS_BY_FIRST.get(text[:1])
    return pattern is not None and pattern.match(text) is not None


# Kinds of concept and how much each says about who it was.
DISTINCTIVE_KINDS = ("vehicle", "make", "dog", "wear", "hair", "body", "aid", "item")
# Things too common to tell one group from another unless a colour comes with them.
COMMON = frozenset({"vehicle:car", "vehicle:van", "vehicle:bike", "dog:dog", "wear:uniform",
                    "wear:cap", "aid:stick", "vehicle:taxi"})  # fmt: skip

_COLOURS = {
    "red": "red", "blue": "blue", "green": "green", "yellow": "yellow", "orange": "orange",
    "pink": "pink", "purple": "purple", "black": "black", "white": "white", "grey": "grey",
    "gray": "grey", "silver": "silver", "gold": "gold", "brown": "brown", "brindle": "brindle",
    "tan": "brown", "cream": "white", "navy": "blue", "lime": "green", "maroon": "red",
}  # fmt: skip
# Kinds whose colour is said before them ("a red quad", "the brown staffy"); a school's
# blazers are one colour for the whole school.
_COLOURED = ("vehicle", "make", "dog", "wear", "body")
_NO_COLOUR = frozenset({"wear:uniform"})

# Where a business mention puts the people: living above it, or only near it.
_ABOVE = re.compile(r"\b(?:above|over|upstairs from|on top of)\s+(?:the\s+)?(?:\S+\s+){0,2}$")
_NEAR = re.compile(
    r"\b(?:next (?:door )?to|opposite|beside|behind|near|by|outside|across from|in front of|"
    r"towards|past|round the corner from)\s+(?:the\s+)?(?:\S+\s+){0,2}$"
)


def concepts(text: str) -> frozenset[str]:
    """The concepts a lower-case answer names, with the colours said of its things and
    where it puts the people against each business it names."""
    found: set[str] = set()
    for match in _matches(text, _BY_FIRST):
        ids = _IDS[match.lastgroup or ""]
        before = text[max(0, match.start() - 40) : match.start()]
        for concept in ids:
            if concept.endswith("="):
                concept = concept[:-1] + match.group(0)
            category = concept.split(":")[0]
            if category == "biz":
                found.add(relation(before) + concept.removeprefix("biz:"))
                continue
            found.add(concept)
            if category in _COLOURED and concept not in _NO_COLOUR:
                after = text[match.end() : match.end() + 30]
                said = _colours_before(before) | _colours_after(after)
                found.update(f"{category}-colour:{c}" for c in said)
    return frozenset(found)


def relation(before: str) -> str:
    """Where the words before a business put the people: "biz:" (its own people),
    "above:" (living over it) or "near:" (only where it happens)."""
    clause = re.split(r"[.;,()!?-]", before)[-1]
    if _ABOVE.search(clause):
        return "above:"
    if _NEAR.search(clause):
        return "near:"
    return "biz:"


def _colours_before(before: str) -> set[str]:
    """Colours in the three words before a thing, within its clause ("green and white")."""
    words = re.split(r"[.;,()!?]", before)[-1].split()[-3:]
    return {_COLOURS[w] for w in words if w in _COLOURS}


_COLOUR_AFTER = re.compile(r"^,?\s(\w+)(?:\s(?:and|&|/)\s(\w+))?\b")


def _colours_after(after: str) -> set[str]:
    """Colours said just after a thing ("a VW camper, green and white")."""
    match = _COLOUR_AFTER.match(after)
    return {_COLOURS[w] for w in match.groups() if w in _COLOURS} if match else set()


def kind(concepts: frozenset[str], name: str) -> frozenset[str]:
    """The concepts of one kind ("dog", "act", "spot")."""
    return frozenset(c for c in concepts if c.startswith(name + ":"))


def colours(concepts: frozenset[str], name: str) -> frozenset[str]:
    """The colours said of one kind of thing ("vehicle", "dog")."""
    return frozenset(c.split(":")[1] for c in concepts if c.startswith(name + "-colour:"))


def distinctive(shared: frozenset[str]) -> frozenset[str]:
    """What two descriptions share that sets people apart: things they have with them,
    clothes, hair and marks, and the colours of them; not a car or a dog alone, and a
    "neck tattoo" once, not also as a tattoo."""
    return frozenset(
        c for c in shared
        if c.split(":")[0].removesuffix("-colour") in DISTINCTIVE_KINDS and c not in COMMON
        and not c.startswith("dogs:") and not any(c in _WITHIN[x] for x in shared if x in _WITHIN)
    )  # fmt: skip


# Concepts that a more particular one already says.
_WITHIN = {
    "body:facetattoo": {"body:tattoo"}, "body:necktattoo": {"body:tattoo"},
    "vehicle:offroad": {"vehicle:motorbike"}, "vehicle:ebike": {"vehicle:bike"},
    "vehicle:bmx": {"vehicle:bike"},
}  # fmt: skip


# A group ("lads", "3 or 4 of them", "him and his mates") or one person ("a bloke").
_GROUP = re.compile(
    r"\b(?:groups?|gangs?|crowds?|bunch|lads|youths|teenagers|teens|kids|children|boys|girls|"
    r"men|women|people|blokes|fellas|drinkers|riders|mates|friends|pair|builders|workmen|staff|"
    r"drivers|customers|punters|patrons|"
    r"(?:two|three|four|five|six|seven|eight|ten|several|few|\d+) (?:of them|young |older )?"
    r"(?:lads|men|boys|girls|youths|teenagers|teens|kids|women|people)|\d+ ?(?:or|-|/) ?\d+ "
    r"(?:of them|young|older|lads|men|boys|girls|youths|teenagers|teens|kids))\b"
)
_ONE = re.compile(
    r"\b(?:a|an|the|one|this|that|old|young|big|little)\s(?:[a-z-]+\s)?(?:man|woman|lad|bloke|"
    r"boy|girl|lady|fella|guy|chap|gentleman|kid|teenager|youth|landlord|landlady|owner|"
    r"manager|caretaker|shopkeeper|farmer)\b"
)


def group(text: str) -> bool | None:
    """True for a group, False for one person, None when the text does not say; the
    first said is who it is about ("the landlord ... lets people drink": one man)."""
    many, one = _GROUP.search(text), _ONE.search(text)
    if many and one:
        return many.start() < one.start()
    return True if many else False if one else None


# Words of a location that name neither a spot nor a town ("the", "er", "near").
_PLACE_FILLER = frozenset({
    "the", "a", "an", "of", "on", "in", "at", "by", "near", "nr", "off", "behind", "opposite",
    "outside", "next", "to", "and", "or", "er", "erm", "um", "uh", "old", "new", "former",
    "top", "bottom", "end", "back", "front", "side", "corner", "between", "from", "just",
    "round", "around", "centre", "center", "town", "city", "village", "area", "estate",
    "rear", "land", "site", "far", "other", "way", "big", "block",
})  # fmt: skip
_AREA_MARK = re.compile(r"\b(?:town centre|city centre|village|area)\b")


def place_words(
    location: str, street_types: frozenset[str]
) -> tuple[frozenset[str], frozenset[str]]:
    """(spot words, area words) of a location: "Swanswell Pool subway, Coventry" gives
    the spot "swanswell", "pool" and the area "coventry". The last of several parts is
    the town, as is a part that names no kind of spot ("Kidlington", "Hillfields")."""
    # A postcode is no name: "Caldecott Park CV21 1AA" and "Whitehall Park CV21 3BB" share
    # no word of a spot.
    location = without_postcodes(location)
    parts = [p for p in re.split(r"[,/()]|\s-\s", location.lower().replace("'", "")) if p.strip()]
    spot: set[str] = set()
    area: set[str] = set()
    for i, part in enumerate(parts):
        said = _matches(part, _BY_FIRST)
        has_spot = bool(said) or any(w in street_types for w in part.split())
        for match in reversed(said):  # the kind of spot is not its name
            part = part[: match.start()] + " " + part[match.end() :]
        words = {
            w for w in re.findall(r"[a-z][a-z'-]+", part)
            if w not in _PLACE_FILLER and w not in street_types
        }  # fmt: skip
        final = i == len(parts) - 1 and len(parts) > 1
        if final or _AREA_MARK.search(part) or (len(parts) == 1 and not has_spot):
            area |= words
        else:
            spot |= words
    return frozenset(spot), frozenset(area)
