"""The six departments of the demo shop, each a product type and a root category."""

from catalogue.demo.data import Attribute, Department, Leaf

_MATERIAL = Attribute("material", "Material", "text")
_COLOUR = Attribute("colour", "Colour", "option", "demo-colour")

DEPARTMENTS = (
    Department(
        slug="clothing",
        name="Clothing",
        description="Shirts, knitwear and everyday layers in natural fibres.",
        attributes=(
            _MATERIAL,
            Attribute("size", "Size", "option", "demo-clothing-size"),
            _COLOUR,
        ),
        has_variants=True,
        leaves=(
            Leaf(
                "Shirts",
                ("shirt", "overshirt", "blouse"),
                ("linen", "oxford cotton", "brushed flannel", "chambray"),
                (35, 85),
            ),
            Leaf(
                "Knitwear",
                ("jumper", "cardigan", "roll-neck"),
                ("merino", "lambswool", "cotton cashmere", "Shetland wool"),
                (45, 140),
            ),
            Leaf(
                "Trousers",
                ("trousers", "chinos", "jeans"),
                ("cotton twill", "selvedge denim", "corduroy", "linen"),
                (45, 110),
            ),
            Leaf(
                "Dresses",
                ("dress", "pinafore", "shirt dress"),
                ("linen", "cotton poplin", "needlecord", "jersey"),
                (55, 130),
            ),
            Leaf(
                "Outerwear",
                ("jacket", "coat", "gilet", "chore jacket"),
                ("waxed cotton", "boiled wool", "canvas", "quilted nylon"),
                (85, 260),
            ),
            Leaf(
                "T-shirts",
                ("T-shirt", "long-sleeve top", "vest"),
                ("organic cotton", "slub cotton", "jersey"),
                (18, 40),
            ),
            Leaf(
                "Loungewear",
                ("joggers", "hoodie", "pyjama set"),
                ("loopback cotton", "brushed cotton", "waffle cotton"),
                (30, 75),
            ),
        ),
    ),
    Department(
        slug="shoes",
        name="Shoes",
        description="Boots, trainers and slippers, resoled rather than replaced.",
        attributes=(
            Attribute("material", "Upper", "text"),
            Attribute("size", "Size", "option", "demo-shoe-size"),
            _COLOUR,
        ),
        has_variants=True,
        leaves=(
            Leaf(
                "Trainers",
                ("trainers", "plimsolls", "runners"),
                ("canvas", "suede", "recycled mesh"),
                (45, 120),
            ),
            Leaf(
                "Boots",
                ("Chelsea boots", "desert boots", "hiking boots", "ankle boots"),
                ("leather", "suede", "nubuck"),
                (85, 220),
            ),
            Leaf(
                "Sandals",
                ("sandals", "sliders", "espadrilles"),
                ("leather", "jute", "cork"),
                (30, 90),
            ),
            Leaf(
                "Slippers",
                ("slippers", "moccasins", "mules"),
                ("sheepskin", "felted wool", "suede"),
                (25, 75),
            ),
            Leaf(
                "Brogues & loafers",
                ("brogues", "loafers", "derby shoes"),
                ("leather", "suede", "polished leather"),
                (90, 200),
            ),
            Leaf(
                "Wellies",
                ("wellington boots", "short wellies"),
                ("natural rubber", "neoprene-lined rubber"),
                (40, 110),
            ),
        ),
    ),
    Department(
        slug="books",
        name="Books",
        description="Novels, cookbooks and field guides chosen by the shop.",
        attributes=(
            Attribute("author", "Author", "text"),
            Attribute("pages", "Pages", "integer"),
            Attribute("hardback", "Hardback", "boolean"),
            Attribute("published", "Publication date", "date"),
        ),
        leaves=(
            Leaf("Fiction", (), (), (8, 20)),
            Leaf("Crime & thrillers", (), (), (8, 18)),
            Leaf("Cookery", (), (), (15, 30)),
            Leaf("Gardening", (), (), (12, 28)),
            Leaf("History", (), (), (10, 30)),
            Leaf("Nature writing", (), (), (9, 22)),
            Leaf("Travel", (), (), (9, 24)),
            Leaf("Children's books", (), (), (6, 15)),
        ),
    ),
    Department(
        slug="kitchen",
        name="Kitchen",
        description="Pans, knives and tableware that last a lifetime of cooking.",
        attributes=(
            _MATERIAL,
            Attribute("capacity", "Capacity (litres)", "float"),
            Attribute("dishwasher_safe", "Dishwasher safe", "boolean"),
        ),
        leaves=(
            Leaf(
                "Cookware",
                ("saucepan", "frying pan", "casserole dish", "stockpot"),
                ("enamelled cast iron", "stainless steel", "carbon steel", "copper"),
                (30, 180),
                capacity=(1.0, 8.0),
            ),
            Leaf(
                "Bakeware",
                ("loaf tin", "baking tray", "cake tin", "pie dish"),
                ("enamelled steel", "stoneware", "aluminium"),
                (12, 45),
            ),
            Leaf(
                "Knives",
                ("chef's knife", "bread knife", "paring knife", "knife block"),
                ("carbon steel", "Damascus steel", "stainless steel"),
                (25, 150),
            ),
            Leaf(
                "Tableware",
                ("dinner plates", "pasta bowls", "side plates", "serving platter"),
                ("stoneware", "porcelain", "enamel"),
                (18, 70),
            ),
            Leaf(
                "Glassware",
                ("tumblers", "wine glasses", "carafe", "water jug"),
                ("recycled glass", "crystal", "borosilicate glass"),
                (14, 55),
                capacity=(0.3, 1.5),
            ),
            Leaf(
                "Storage",
                ("storage jar", "bread bin", "canister set", "butter dish"),
                ("stoneware", "enamel", "glass", "beech"),
                (10, 50),
                capacity=(0.5, 5.0),
            ),
            Leaf(
                "Utensils",
                ("wooden spoon set", "spatula", "whisk", "ladle"),
                ("olive wood", "beech", "stainless steel"),
                (6, 28),
            ),
            Leaf(
                "Tea & coffee",
                ("teapot", "cafetière", "pour-over set", "milk jug"),
                ("stoneware", "cast iron", "glass", "stainless steel"),
                (18, 75),
                capacity=(0.3, 1.5),
            ),
        ),
    ),
    Department(
        slug="pantry",
        name="Pantry",
        description="Teas, preserves and store-cupboard staples from small producers.",
        attributes=(
            Attribute("weight", "Weight (grams)", "integer"),
            Attribute("organic", "Organic", "boolean"),
            Attribute("origin", "Origin", "text"),
        ),
        leaves=(
            Leaf(
                "Tea",
                (
                    "breakfast tea",
                    "Earl Grey",
                    "Assam tea",
                    "green tea",
                    "chamomile infusion",
                ),
                (),
                (4, 12),
                weight=(50, 250),
            ),
            Leaf(
                "Coffee",
                ("espresso beans", "filter coffee", "decaf beans"),
                (),
                (7, 16),
                weight=(200, 1000),
            ),
            Leaf(
                "Preserves",
                (
                    "Seville orange marmalade",
                    "strawberry jam",
                    "lemon curd",
                    "plum chutney",
                ),
                (),
                (4, 9),
                weight=(200, 450),
            ),
            Leaf(
                "Honey",
                ("wildflower honey", "heather honey", "set honey", "honeycomb"),
                (),
                (6, 18),
                weight=(220, 450),
            ),
            Leaf(
                "Baking",
                (
                    "strong white flour",
                    "spelt flour",
                    "golden caster sugar",
                    "cocoa powder",
                ),
                (),
                (2, 9),
                weight=(250, 1500),
            ),
            Leaf(
                "Oils & vinegars",
                (
                    "extra virgin olive oil",
                    "cold-pressed rapeseed oil",
                    "cider vinegar",
                ),
                (),
                (5, 22),
                weight=(250, 750),
            ),
            Leaf(
                "Biscuits & snacks",
                (
                    "oat biscuits",
                    "all-butter shortbread",
                    "sea salt crisps",
                    "oatcakes",
                ),
                (),
                (2, 7),
                weight=(100, 300),
            ),
        ),
    ),
    Department(
        slug="home",
        name="Home",
        description="Candles, throws and baskets for a well-kept house.",
        attributes=(
            _MATERIAL,
            Attribute("width", "Width (cm)", "integer"),
            Attribute("handmade", "Handmade", "boolean"),
        ),
        leaves=(
            Leaf(
                "Candles",
                ("scented candle", "pillar candle", "tealight set"),
                ("soy wax", "beeswax", "rapeseed wax"),
                (8, 40),
            ),
            Leaf(
                "Cushions",
                ("cushion cover", "floor cushion", "bolster"),
                ("linen", "wool", "velvet", "cotton"),
                (20, 65),
            ),
            Leaf(
                "Throws & blankets",
                ("throw", "blanket", "picnic rug"),
                ("lambswool", "merino", "cotton"),
                (45, 160),
            ),
            Leaf(
                "Bedding",
                ("duvet cover", "pillowcase pair", "bedspread", "flat sheet"),
                ("stonewashed linen", "percale cotton", "sateen cotton"),
                (30, 150),
            ),
            Leaf(
                "Baskets",
                ("storage basket", "log basket", "laundry basket"),
                ("seagrass", "rattan", "willow", "jute"),
                (18, 80),
            ),
            Leaf(
                "Vases & pots",
                ("vase", "plant pot", "bud vase"),
                ("stoneware", "terracotta", "recycled glass"),
                (12, 60),
            ),
            Leaf(
                "Lighting",
                ("table lamp", "lantern", "pendant shade"),
                ("brass", "rattan", "linen", "ceramic"),
                (35, 180),
            ),
        ),
    ),
)
DEPARTMENTS_BY_SLUG = {department.slug: department for department in DEPARTMENTS}
