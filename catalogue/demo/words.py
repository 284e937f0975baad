"""Word lists the demo titles and descriptions are drawn from.

Descriptions are three sentences, one from each list of a department's
DESCRIPTIONS entry; the placeholders are filled from the product being made.
"""

COLLECTIONS = (
    "Harbour", "Fenland", "Orchard", "Moorland", "Hebridean", "Borough", "Meadow",
    "Cairn", "Estuary", "Highland", "Saltmarsh", "Quarry", "Hillside", "Riverside",
    "Coastguard", "Allotment", "Lighthouse", "Drover", "Mill", "Ferry",
)  # fmt: skip
ADJECTIVES = (
    "Relaxed", "Classic", "Everyday", "Heritage", "Workwear", "Simple", "Easy",
    "Weekend", "Heavyweight", "Washed", "Utility", "Fisherman", "Tailored", "Boxy",
)  # fmt: skip
FITS = ("relaxed", "regular", "slim", "generous", "boxy")
ORIGINS = (
    "Portugal", "Scotland", "Yorkshire", "Lancashire", "Italy", "Wales", "Lithuania",
    "Cornwall", "Kent", "Devon", "Spain", "Northumberland",
)  # fmt: skip
FIRST_NAMES = (
    "Ada", "Tom", "Nell", "Owen", "Iris", "Hugh", "Mabel", "Rhys", "Edie", "Callum",
    "Freya", "Arthur", "Niamh", "Kit", "Esme", "Rowan", "Imogen", "Fergus",
)  # fmt: skip
SURNAMES = (
    "Hartley", "Penrose", "Ashdown", "Fairbairn", "Lockwood", "Marlow", "Quayle",
    "Thwaite", "Blackmore", "Kerridge", "Oakes", "Ferrers", "Lindqvist", "Mossop",
    "Pennington", "Sowerby", "Tregarthen", "Whitlock",
)  # fmt: skip
BOOK_ADJECTIVES = (
    "Quiet", "Salt", "Lost", "Winter", "Hidden", "Long", "Wild", "Last", "Green",
    "Silver", "Northern", "Small", "Drowned", "Golden",
)  # fmt: skip
BOOK_NOUNS = (
    "Harbour", "Orchard", "Garden", "River", "Island", "Season", "House", "Field",
    "Shore", "Lantern", "Road", "Tide", "Hedgerow", "Weather",
)  # fmt: skip
BOOK_PLACES = (
    "Whitby", "the Fens", "Skye", "Ludlow", "the Downs", "Lindisfarne", "Orkney",
    "the Marches", "Dungeness", "Rye", "Hay", "the Dales", "Cromer", "Aldeburgh",
)  # fmt: skip
BOOK_FOODS = (
    "Rhubarb", "Apples", "Barley", "Leeks", "Seaweed", "Plums", "Beans", "Oats",
    "Herbs", "Pears",
)  # fmt: skip
BOOK_TITLES = {
    "Fiction": ("The {adj} {noun}", "{noun} of {place}", "A {noun} in {place}"),
    "Crime & thrillers": ("Death at {place}", "The {noun} Murders", "A {adj} Alibi"),
    "Cookery": ("The {noun} Kitchen", "Cooking with {food}", "A Year of {food}"),
    "Gardening": ("The {adj} Garden", "Growing {food}", "An Allotment in {place}"),
    "History": ("{place}: A History", "The {adj} Century", "Empire of the {noun}"),
    "Nature writing": ("The {adj} {noun}", "Notes from {place}", "A Year on {place}"),
    "Travel": ("Walking to {place}", "The Road to {place}", "{adj} Roads"),
    "Children's books": (
        "The {adj} Fox",
        "{name} and the Moon",
        "A Bear Called {name}",
    ),
}

DESCRIPTIONS = {
    "clothing": (
        (
            "Cut from {material} with a {fit} fit that softens with every wash.",
            "Dependable {material} {noun}, finished with tonal stitching.",
            "Our {collection} {noun}: {material}, {fit} through the body.",
        ),
        (
            "Made in a family-run workshop in {origin}.",
            "Garment-dyed in small batches, so each piece varies slightly.",
            "Reinforced seams and corozo buttons mean it is built to last.",
        ),
        (
            "Machine wash at 30°C and line dry.",
            "Wash cool and dry flat to keep its shape.",
            "Sizes run true; take your usual size.",
        ),
    ),
    "shoes": (
        (
            "{material_title} {noun} on a hard-wearing rubber sole.",
            "Our {collection} {noun}, in {material} that moulds to your foot.",
            "Cushioned {noun} with a {material} upper and a cork footbed.",
        ),
        (
            "Made by a small factory in {origin}.",
            "Goodyear-welted, so they can be resoled for years.",
            "Lined in leather to breathe on long days.",
        ),
        (
            "Half sizes should size down.",
            "Treat with wax now and then to keep them supple.",
            "Comes with a cotton dust bag.",
        ),
    ),
    "books": (
        (
            "{author}'s much-loved book, now back in print.",
            "The new book from {author}, set between {place} and the sea.",
            "A warm and clear-eyed book by {author}.",
        ),
        (
            "Chosen by the shop as one to give and keep.",
            "Printed on FSC-certified paper.",
            "Signed copies arrive while stocks last.",
        ),
        (
            "Perfect for long evenings.",
            "One for the bedside table.",
            "A favourite with our booksellers.",
        ),
    ),
    "kitchen": (
        (
            "{material_title} {noun} made to outlast its owner.",
            "Our {collection} {noun}, made in {material}.",
            "{material_title} {noun}, weighty and well balanced.",
        ),
        (
            "Made in {origin} by a third-generation maker.",
            "Tested in our own kitchen for a year before joining the range.",
            "Designed to be used every day and passed on.",
        ),
        (
            "Comes with a ten-year guarantee.",
            "Hand wash to keep it at its best.",
            "A good present for a first kitchen.",
        ),
    ),
    "pantry": (
        (
            "{noun_title} from a small producer in {origin}.",
            "Our {collection} {noun}, made in small batches.",
            "A store-cupboard favourite: {noun} from {origin}.",
        ),
        (
            "No additives, just what it says on the label.",
            "Packed by hand in recyclable packaging.",
            "Winner of a Great Taste award.",
        ),
        (
            "Store in a cool, dry place.",
            "Best enjoyed within a month of opening.",
            "Suitable for vegetarians.",
        ),
    ),
    "home": (
        (
            "{material_title} {noun} that brings warmth to any room.",
            "Our {collection} {noun}, made from {material}.",
            "Simple {material} {noun}, finished by hand.",
        ),
        (
            "Made by craftspeople in {origin}.",
            "Each one varies slightly, as handmade things do.",
            "Designed in our studio and made to last.",
        ),
        (
            "Wipe clean with a damp cloth.",
            "Pairs well with the rest of the {collection} range.",
            "Arrives gift-wrapped on request.",
        ),
    ),
}

# Makers, shown as the "Brand" attribute and offered as a listing filter.
BRANDS = (
    "Larder & Loom",
    "Northfield Goods",
    "Harbour Works",
    "Fenwick & Daughters",
    "Old Mill Supply",
    "Tidewater",
    "Hedgerow",
    "Carrick Craft",
)
