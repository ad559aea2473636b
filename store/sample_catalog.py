"""The sample catalog: invented brands and products, generated deterministically.

`python -m store.sample` rewrites data/catalog/sample_catalog.jsonl and .csv (byte for byte the same).
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from store.config import ROOT

CATALOG_DIR = ROOT / "data" / "catalog"
CATALOG_JSONL = "sample_catalog.jsonl"
CATALOG_CSV = "sample_catalog.csv"
CSV_COLUMNS = ("sku", "name", "brand", "category", "subcategory", "price", "currency", "colors", "sizes", "stock",
               "rating", "description", "image_url", "tags", "variants")
CURRENCY = "USD"

# --------------------------------------------------------------------------------------------------------------
# Brands: 25 invented names, each with what it is known for.
# --------------------------------------------------------------------------------------------------------------

BRANDS: dict[str, str] = {
    "Stridewell": "road and trail running gear",
    "Cragmoor": "mountain footwear and shelters",
    "Pavona": "hand-finished dress shoes and sandals",
    "Loopline": "relaxed city streetwear",
    "Finchwood": "wardrobe basics that last",
    "Tessaly": "dresses and occasion wear",
    "Brisa": "easy summer and beach essentials",
    "Ironvale": "rugged workwear and iron-tough gear",
    "Voltaro": "fast charging and small appliances",
    "Hushwave": "quiet, noise-cancelling audio",
    "Pulsegrid": "fitness wearables and smart sports gear",
    "Clackworth": "mechanical keyboards for typists",
    "Boomcrate": "loud, rugged outdoor speakers",
    "Copperleaf": "cookware that goes from hob to table",
    "Brewden": "home coffee and drinkware",
    "Keenblade": "precision kitchen knives",
    "Lullow": "bedding and slow-weekend loungewear",
    "Nestory": "tidy home organisation",
    "Trailhaven": "camping and backcountry equipment",
    "Asanara": "yoga and mindful movement",
    "Hydralo": "hydration on the move",
    "Forgefit": "home strength training",
    "Petalune": "vegan, plant-based skincare",
    "Solenne": "sun care and gentle hair care",
    "Rougemere": "colour cosmetics and fragrance",
}

# SKU prefix and first number of each category, in catalog order.
CATEGORIES: dict[str, tuple[str, int]] = {
    "shoes": ("SHO", 1001),
    "electronics": ("ELE", 2001),
    "clothing": ("CLO", 3001),
    "home & kitchen": ("HOM", 4001),
    "sports & outdoors": ("SPO", 5001),
    "beauty": ("BEA", 6001),
}

MODEL_WORDS: dict[str, tuple[str, ...]] = {
    "shoes": ("Tempo", "Glide", "Ridge", "Drift", "Summit", "Pacer", "Cadence", "Crest", "Talus", "Scree", "Harbor",
              "Strand", "Rover", "Metro", "Marlow", "Regent", "Kestrel", "Juniper", "Flint", "Canyon", "Vesper",
              "Lark"),
    "clothing": ("Everyday", "Harbor", "Dune", "Willow", "Atlas", "Breeze", "Alder", "Nimbus", "Fable", "Cobble",
                 "Meadow", "Quarry", "Linden", "Solstice", "Tidal", "Hearth", "Union", "Sable", "Ember", "Cove"),
    "electronics": ("Pulse", "Arc", "Nova", "Echo", "Orbit", "Quartz", "Lumen", "Halo", "Vector", "Cirrus", "Axis",
                    "Prism", "Ion", "Relay", "Signal", "Flux", "Beacon", "Vertex", "Onyx", "Zephyr"),
    "home & kitchen": ("Hearth", "Larder", "Saffron", "Juniper", "Meridian", "Oakhill", "Pantry", "Copse", "Thyme",
                       "Clover", "Marble", "Ashgrove", "Hollow", "Sorrel", "Bramble", "Quince", "Fennel", "Umber"),
    "sports & outdoors": ("Basecamp", "Ridgeline", "Tundra", "Sierra", "Talon", "Switchback", "Alpine", "Cairn",
                          "Rapid", "Kinetic", "Traverse", "Outpost", "Vista", "Current", "Granite", "Boulder",
                          "Aspen", "Rally"),
    "beauty": ("Bloom", "Dew", "Velvet", "Glow", "Petal", "Silk", "Aura", "Lumiere", "Rosewater", "Cashmere",
               "Radiance", "Muse", "Serene", "Ember", "Satin", "Iris", "Calm", "Nectar"),
}

APPAREL_SIZES = ("XS", "S", "M", "L", "XL", "XXL")
WAIST_SIZES = ("28", "30", "32", "34", "36", "38")
BED_SIZES = ("Twin", "Full", "Queen", "King")
HELMET_SIZES = ("S", "M", "L")
WATCH_SIZES = ("41mm", "45mm")


@dataclass(frozen=True)
class _Sub:
    """How to invent the products of one subcategory."""

    category: str
    name: str
    nouns: tuple[str, ...]
    count: int
    price: tuple[int, int]  # whole dollars, inclusive
    brands: tuple[str, ...]
    colors: tuple[str, ...]
    sizes: str | None  # shoe | apparel | waist | bed | helmet | watch | None
    tags: tuple[str, ...]
    materials: tuple[str, ...]
    uses: tuple[str, ...]
    features: tuple[str, ...]
    plain_chance: float = 0.0  # chance a product comes in no colour
    formula: bool = False  # beauty products: ingredients instead of materials
    numbers: tuple[int, ...] = (1, 2, 3, 4, 5, 6, 7, 8, 9)
    noun_prices: tuple[tuple[str, int, int], ...] = ()  # a price range of its own for some nouns

    def price_range(self, noun: str) -> tuple[int, int]:
        """The whole-dollar price range of a product called `noun`."""
        return next(((low, high) for name, low, high in self.noun_prices if name == noun), self.price)


_SUBCATEGORIES: tuple[_Sub, ...] = (
    # ---------------------------------------------------------------- shoes
    _Sub("shoes", "running shoes", ("Running Shoe",), 13, (60, 170),
         ("Stridewell", "Cragmoor", "Forgefit"),
         ("black", "white", "blue", "grey", "red", "orange", "navy", "green"), "shoe",
         ("lightweight", "breathable", "cushioned", "trail", "waterproof", "vegan", "reflective"),
         ("an engineered knit upper", "recycled mesh", "a seamless woven upper", "breathable double-layer mesh"),
         ("daily road miles", "tempo runs and race day", "muddy trail loops", "easy recovery jogs",
          "half-marathon training"),
         ("a responsive foam midsole", "a grippy rubber outsole", "a padded heel collar", "a rock plate underfoot",
          "a snug, sock-like fit", "reflective heel details")),
    _Sub("shoes", "hiking boots", ("Hiking Boot",), 11, (90, 230),
         ("Cragmoor", "Ironvale", "Trailhaven"),
         ("brown", "black", "olive", "grey", "tan"), "shoe",
         ("waterproof", "trail", "leather", "insulated", "lightweight"),
         ("full-grain leather", "suede and ripstop nylon", "waxed nubuck", "abrasion-resistant synthetic panels"),
         ("rocky alpine trails", "multi-day backpacking trips", "wet spring hikes", "winter walks in the hills"),
         ("a lugged outsole that bites into loose ground", "a supportive ankle collar", "a protective rubber toe cap",
          "a cushioned EVA midsole", "speed lacing hooks")),
    _Sub("shoes", "sneakers", ("Sneaker",), 12, (45, 130),
         ("Stridewell", "Loopline", "Finchwood"),
         ("white", "black", "navy", "beige", "red", "grey", "green"), "shoe",
         ("vegan", "leather", "lightweight", "recycled", "canvas"),
         ("washed canvas", "smooth leather", "a plant-based upper", "recycled cotton canvas"),
         ("weekend errands", "everyday city walking", "casual Fridays at the office", "travel days"),
         ("a vulcanised rubber sole", "a cushioned footbed", "a retro cupsole", "contrast stitching",
          "a padded tongue")),
    _Sub("shoes", "sandals", ("Sandal", "Slide"), 10, (25, 90),
         ("Pavona", "Brisa", "Tessaly"),
         ("tan", "black", "brown", "white", "gold"), "shoe_whole",
         ("waterproof", "vegan", "lightweight", "leather"),
         ("vegetable-tanned leather", "soft recycled foam", "woven straps", "quick-drying webbing"),
         ("beach days", "summer holidays", "poolside lounging", "warm-weather city strolls"),
         ("a contoured cork footbed", "adjustable buckle straps", "a non-slip sole", "a cushioned arch")),
    _Sub("shoes", "dress shoes", ("Oxford", "Loafer", "Derby Shoe"), 10, (80, 220),
         ("Pavona", "Tessaly", "Finchwood"),
         ("black", "brown", "burgundy", "tan"), "shoe",
         ("leather", "handcrafted", "cushioned"),
         ("polished calfskin", "burnished leather", "soft suede", "patent leather"),
         ("weddings and formal dinners", "the office", "evening events", "job interviews"),
         ("a Goodyear-welted sole", "a leather lining", "a cushioned insole", "a stacked heel",
          "hand-stitched detailing")),
    # ---------------------------------------------------------------- electronics
    _Sub("electronics", "headphones", ("Headphones", "Earbuds"), 14, (30, 350),
         ("Hushwave", "Boomcrate", "Pulsegrid"),
         ("black", "white", "silver", "navy", "beige"), None,
         ("wireless", "noise cancelling", "bluetooth", "water resistant", "usb-c", "lightweight"),
         ("brushed aluminium", "soft protein leather", "matte recycled plastic", "memory foam and steel"),
         ("long-haul flights", "the daily commute", "gym sessions", "focused work in open offices"),
         ("up to 40 hours of battery life", "adaptive active noise cancellation", "a transparency mode",
          "multipoint pairing", "a built-in microphone for clear calls", "quick charging over USB-C"),
         plain_chance=0.1, numbers=(2, 3, 5, 7, 10, 20, 40, 50, 300, 500, 700),
         noun_prices=(("Earbuds", 30, 250),)),
    _Sub("electronics", "speakers", ("Speaker", "Soundbar"), 12, (25, 300),
         ("Boomcrate", "Hushwave", "Voltaro"),
         ("black", "grey", "blue", "red", "white", "green"), None,
         ("wireless", "bluetooth", "waterproof", "portable", "rechargeable"),
         ("a rugged rubber shell", "woven acoustic fabric", "an anodised aluminium body", "a walnut veneer cabinet"),
         ("backyard parties", "camping trips", "living-room movie nights", "music in the shower"),
         ("360-degree sound", "a deep passive bass radiator", "stereo pairing with a second unit",
          "twelve hours of playback", "a built-in carry strap"),
         noun_prices=(("Soundbar", 120, 400),)),
    _Sub("electronics", "smartwatches", ("Smartwatch", "Fitness Watch"), 10, (100, 400),
         ("Pulsegrid", "Stridewell"),
         ("black", "silver", "rose gold", "blue", "green"), "watch",
         ("water resistant", "gps", "wireless", "rechargeable", "lightweight"),
         ("a titanium case", "an aluminium case", "a recycled polymer case", "a sapphire crystal face"),
         ("marathon training", "tracking sleep and recovery", "swimming laps", "busy days between meetings"),
         ("built-in GPS", "a heart-rate sensor", "a bright always-on display", "a week of battery life",
          "contactless payments", "a quick-release strap")),
    _Sub("electronics", "chargers", ("Charger", "Power Bank", "Charging Stand"), 11, (15, 80),
         ("Voltaro", "Clackworth"),
         ("black", "white", "grey"), None,
         ("fast charging", "usb-c", "compact", "wireless", "portable"),
         ("flame-retardant polycarbonate", "gallium nitride circuitry", "a soft-touch matte shell",
          "recycled aluminium"),
         ("travel bags", "bedside tables", "desk setups", "charging a phone and laptop together"),
         ("two USB-C ports and one USB-A port", "smart power sharing", "foldable prongs",
          "overheat protection", "an LED charge indicator"),
         noun_prices=(("Power Bank", 25, 80), ("Charging Stand", 25, 60))),
    _Sub("electronics", "keyboards", ("Keyboard",), 10, (30, 190),
         ("Clackworth", "Voltaro"),
         ("black", "white", "grey", "beige", "navy"), None,
         ("mechanical", "wireless", "backlit", "ergonomic", "bluetooth"),
         ("a CNC-milled aluminium frame", "PBT keycaps", "a gasket-mounted plate", "a recycled plastic chassis"),
         ("long writing sessions", "programming marathons", "gaming at night", "a tidy home office"),
         ("hot-swappable switches", "per-key backlighting", "a detachable USB-C cable", "three-device pairing",
          "a split, tented layout")),
    # ---------------------------------------------------------------- clothing
    _Sub("clothing", "t-shirts", ("T-Shirt", "Tee"), 13, (15, 45),
         ("Finchwood", "Loopline", "Stridewell", "Asanara", "Forgefit", "Brisa"),
         ("white", "black", "grey", "navy", "green", "red", "blue", "yellow"), "apparel",
         ("organic", "cotton", "quick dry", "breathable", "recycled"),
         ("organic cotton jersey", "a cotton and modal blend", "recycled polyester", "slub cotton"),
         ("everyday layering", "workouts", "warm summer afternoons", "lazy Sundays"),
         ("a relaxed fit", "a reinforced crew neck", "flat-lock seams", "a soft garment-dyed finish")),
    _Sub("clothing", "jeans", ("Jeans",), 10, (40, 120),
         ("Finchwood", "Loopline", "Ironvale"),
         ("blue", "black", "grey", "indigo"), "waist",
         ("stretch", "organic", "cotton"),
         ("rigid selvedge denim", "stretch denim", "organic cotton denim", "heavyweight denim"),
         ("everyday wear", "long days on the job", "weekend trips", "dressing up or down"),
         ("a slim tapered leg", "a straight leg", "reinforced rivets", "deep front pockets")),
    _Sub("clothing", "jackets", ("Jacket", "Parka", "Shell"), 11, (80, 250),
         ("Cragmoor", "Ironvale", "Tessaly", "Stridewell"),
         ("black", "olive", "navy", "red", "tan", "grey"), "apparel",
         ("waterproof", "insulated", "packable", "windproof", "recycled"),
         ("a three-layer waterproof membrane", "recycled down fill", "waxed cotton canvas", "ripstop nylon"),
         ("stormy commutes", "cold mountain mornings", "autumn city walks", "ski weekends"),
         ("taped seams", "an adjustable storm hood", "pit zips for venting", "a two-way front zip",
          "zippered hand pockets")),
    _Sub("clothing", "hoodies", ("Hoodie", "Zip Hoodie"), 10, (35, 80),
         ("Loopline", "Finchwood", "Lullow", "Asanara"),
         ("grey", "black", "navy", "green", "cream", "burgundy"), "apparel",
         ("organic", "cotton", "recycled", "stretch"),
         ("brushed-back fleece", "organic cotton terry", "recycled cotton fleece", "a soft bamboo blend"),
         ("chilly evenings", "lounging at home", "post-workout layering", "early dog walks"),
         ("a lined hood", "a kangaroo pocket", "ribbed cuffs", "a boxy relaxed fit")),
    _Sub("clothing", "dresses", ("Dress", "Midi Dress", "Wrap Dress"), 11, (40, 150),
         ("Tessaly", "Finchwood", "Brisa"),
         ("black", "navy", "red", "green", "floral", "cream", "pink"), "apparel",
         ("organic", "linen", "machine washable", "stretch"),
         ("washed linen", "flowing viscose", "organic cotton poplin", "silky satin"),
         ("summer weddings", "beach holidays", "office days", "dinner dates"),
         ("a flattering wrap front", "hidden side pockets", "an adjustable tie waist", "a swishy A-line skirt")),
    # ---------------------------------------------------------------- home & kitchen
    _Sub("home & kitchen", "cookware", ("Skillet", "Saucepan", "Dutch Oven", "Wok"), 11, (30, 260),
         ("Copperleaf", "Keenblade"),
         ("black", "red", "blue", "cream", "copper"), None,
         ("non-stick", "induction ready", "oven safe", "dishwasher safe", "stainless steel"),
         ("enamelled cast iron", "tri-ply stainless steel", "carbon steel", "hard-anodised aluminium"),
         ("weeknight stir-fries", "slow Sunday braises", "searing steaks", "family-sized pasta nights"),
         ("even heat from base to rim", "stay-cool riveted handles", "a tight-fitting lid",
          "a ceramic non-stick coating", "pouring lips on both sides"),
         plain_chance=0.35),
    _Sub("home & kitchen", "coffee makers", ("Coffee Maker", "Espresso Machine", "Pour-Over Brewer"), 10,
         (30, 450), ("Brewden", "Copperleaf"),
         ("black", "silver", "white", "red"), None,
         ("programmable", "compact", "stainless steel", "dishwasher safe"),
         ("brushed stainless steel", "borosilicate glass", "matte powder-coated steel", "BPA-free plastic"),
         ("slow weekend mornings", "busy households", "small apartment kitchens", "flat whites at home"),
         ("a 15-bar pump", "a built-in burr grinder", "a steam wand for milk", "a thermal carafe",
          "a programmable start timer"),
         noun_prices=(("Espresso Machine", 150, 450), ("Pour-Over Brewer", 20, 60), ("Coffee Maker", 40, 200))),
    _Sub("home & kitchen", "knives", ("Chef Knife", "Santoku Knife", "Paring Knife", "Knife Block Set"), 10,
         (20, 240), ("Keenblade", "Copperleaf"),
         (), None,
         ("stainless steel", "handcrafted", "dishwasher safe"),
         ("Japanese VG-10 steel", "high-carbon German steel", "67-layer Damascus steel", "forged stainless steel"),
         ("everyday prep work", "fine slicing and dicing", "butchery and carving", "a first serious knife"),
         ("a full-tang pakkawood handle", "a razor-sharp 15-degree edge", "a protective blade guard",
          "a balanced bolster"),
         noun_prices=(("Paring Knife", 15, 45), ("Knife Block Set", 120, 400), ("Chef Knife", 50, 220))),
    _Sub("home & kitchen", "bedding", ("Duvet Cover", "Sheet Set", "Pillow", "Weighted Blanket"), 10, (30, 220),
         ("Lullow", "Nestory"),
         ("white", "grey", "sage", "blue", "cream", "charcoal"), "bed",
         ("organic", "hypoallergenic", "cotton", "linen", "machine washable"),
         ("long-staple organic cotton percale", "stonewashed linen", "bamboo lyocell", "brushed microfibre"),
         ("hot sleepers", "guest rooms", "cosy winter nights", "lazy weekend lie-ins"),
         ("deep elasticated pockets", "hidden button closures", "a breathable weave",
          "corner ties to keep it in place"),
         noun_prices=(("Pillow", 25, 90), ("Weighted Blanket", 80, 200))),
    _Sub("home & kitchen", "storage containers", ("Storage Canister", "Food Container Set", "Storage Basket"), 9,
         (15, 70), ("Nestory", "Copperleaf"),
         ("clear", "white", "natural", "grey"), None,
         ("bpa free", "stackable", "dishwasher safe", "airtight"),
         ("borosilicate glass", "BPA-free Tritan", "woven seagrass", "bamboo and glass"),
         ("an organised pantry", "meal prep", "tidy shelves", "packed lunches"),
         ("airtight locking lids", "space-saving nesting", "stackable lids", "easy-read volume markings"),
         plain_chance=0.3),
    _Sub("home & kitchen", "blenders", ("Blender", "Hand Blender"), 8, (35, 300),
         ("Brewden", "Voltaro"),
         ("black", "silver", "red", "white"), None,
         ("compact", "dishwasher safe", "bpa free", "rechargeable"),
         ("a brushed steel base", "a BPA-free Tritan jar", "a glass jug", "a cordless motor body"),
         ("morning smoothies", "silky soups", "nut butters", "frozen cocktails"),
         ("a 1200-watt motor", "six speed settings", "a pulse function", "a self-cleaning programme")),
    # ---------------------------------------------------------------- sports & outdoors
    _Sub("sports & outdoors", "backpacks", ("Backpack", "Daypack", "Hydration Pack"), 11, (35, 200),
         ("Trailhaven", "Cragmoor", "Hydralo", "Loopline"),
         ("black", "olive", "navy", "orange", "grey", "red"), None,
         ("waterproof", "lightweight", "recycled", "ultralight", "padded"),
         ("recycled ripstop nylon", "waxed canvas", "Dyneema-style laminate", "abrasion-resistant Cordura-style nylon"),
         ("day hikes", "overnight trips", "commuting by bike", "carrying a laptop across town"),
         ("a padded laptop sleeve", "a ventilated back panel", "a hip belt with pockets", "a roll-top closure",
          "a hydration sleeve")),
    _Sub("sports & outdoors", "tents", ("Tent", "Backpacking Tent", "Family Tent"), 9, (90, 500),
         ("Trailhaven", "Cragmoor"),
         ("green", "orange", "grey", "yellow"), None,
         ("waterproof", "ultralight", "packable", "freestanding"),
         ("silicone-coated ripstop nylon", "polyester taffeta", "aluminium poles and mesh", "cotton canvas"),
         ("backpacking trips", "family campsites", "festival weekends", "windy coastal camping"),
         ("two doors and two vestibules", "colour-coded poles for a fast pitch", "a full-coverage rainfly",
          "interior gear pockets"),
         plain_chance=0.2, noun_prices=(("Family Tent", 200, 600),)),
    _Sub("sports & outdoors", "yoga mats", ("Yoga Mat",), 10, (20, 130),
         ("Asanara", "Forgefit"),
         ("purple", "blue", "green", "black", "pink", "grey"), None,
         ("non-slip", "eco-friendly", "lightweight", "vegan"),
         ("natural tree rubber", "cork and rubber", "TPE foam", "recycled PU"),
         ("hot yoga", "pilates at home", "stretching after a run", "travel practice"),
         ("alignment lines", "a grippy textured surface", "a carry strap", "extra cushioning for the knees")),
    _Sub("sports & outdoors", "water bottles", ("Water Bottle", "Insulated Bottle", "Tumbler"), 11, (12, 50),
         ("Hydralo", "Brewden", "Trailhaven", "Asanara"),
         ("black", "white", "teal", "pink", "blue", "green", "silver"), None,
         ("insulated", "bpa free", "leakproof", "dishwasher safe"),
         ("double-wall stainless steel", "BPA-free Tritan", "powder-coated steel", "recycled plastic"),
         ("the gym", "long hikes", "the school run", "desk days"),
         ("double-wall insulation that keeps drinks cold for 24 hours", "a one-hand flip lid",
          "a wide mouth for ice", "a loop carry handle")),
    _Sub("sports & outdoors", "dumbbells", ("Dumbbell Set", "Adjustable Dumbbell", "Kettlebell"), 8, (30, 400),
         ("Forgefit", "Ironvale"),
         ("black", "grey"), None,
         ("adjustable", "compact", "rubber coated"),
         ("cast iron", "rubber-coated steel", "chrome-plated steel", "neoprene-dipped iron"),
         ("home strength workouts", "garage gyms", "small apartments", "progressive overload training"),
         ("a quick-change weight dial", "knurled grips", "a storage tray", "hexagonal heads that do not roll"),
         plain_chance=0.5,
         noun_prices=(("Kettlebell", 25, 90), ("Adjustable Dumbbell", 150, 400), ("Dumbbell Set", 40, 200))),
    _Sub("sports & outdoors", "cycling helmets", ("Cycling Helmet", "Bike Helmet"), 8, (45, 220),
         ("Pulsegrid", "Trailhaven"),
         ("black", "white", "red", "blue", "yellow"), "helmet",
         ("lightweight", "reflective", "ventilated"),
         ("an in-moulded EPS shell", "a polycarbonate outer shell", "a recycled foam liner"),
         ("road cycling", "mountain biking", "city commuting", "gravel rides"),
         ("an integrated rear light", "a dial-fit adjuster", "eighteen air vents", "a magnetic buckle")),
    # ---------------------------------------------------------------- beauty
    _Sub("beauty", "moisturizers", ("Moisturizer", "Face Cream", "Night Cream"), 10, (12, 85),
         ("Petalune", "Solenne"),
         (), None,
         ("vegan", "fragrance free", "cruelty free", "organic", "hypoallergenic"),
         ("hyaluronic acid and squalane", "shea butter and ceramides", "niacinamide", "organic aloe and oat extract"),
         ("dry winter skin", "sensitive skin", "combination skin", "a morning routine under make-up"),
         ("a lightweight, fast-absorbing texture", "recyclable glass packaging", "a non-greasy finish",
          "dermatologist testing"),
         formula=True),
    _Sub("beauty", "cleansers", ("Cleanser", "Cleansing Balm", "Micellar Water"), 9, (9, 45),
         ("Petalune", "Rougemere"),
         (), None,
         ("vegan", "fragrance free", "cruelty free", "sulfate free"),
         ("green tea and glycerin", "oat milk", "camellia oil", "gentle amino-acid surfactants"),
         ("removing make-up", "double cleansing", "sensitive skin", "a quick morning refresh"),
         ("a pH-balanced formula", "a pump bottle", "a rinse-clean finish", "a melting balm texture"),
         formula=True),
    _Sub("beauty", "sunscreen", ("Sunscreen", "Sun Fluid", "Mineral Sunscreen"), 9, (10, 40),
         ("Solenne", "Petalune", "Brisa"),
         (), None,
         ("spf 50", "water resistant", "reef friendly", "vegan", "fragrance free"),
         ("zinc oxide", "lightweight UV filters", "vitamin E and aloe", "mineral filters and green tea"),
         ("beach days", "outdoor sports", "daily city wear", "children's sensitive skin"),
         ("broad-spectrum protection", "no white cast", "80 minutes of water resistance", "a matte finish"),
         formula=True),
    _Sub("beauty", "shampoo", ("Shampoo", "Conditioner", "Hair Mask"), 9, (8, 40),
         ("Solenne", "Petalune"),
         (), None,
         ("sulfate free", "vegan", "organic", "cruelty free"),
         ("argan oil", "rice protein", "rosemary and peppermint", "coconut milk"),
         ("curly hair", "colour-treated hair", "fine, flat hair", "everyday washing"),
         ("a salon-style lather", "a refillable bottle", "a fresh herbal scent", "a frizz-taming formula"),
         formula=True),
    _Sub("beauty", "lipstick", ("Lipstick", "Lip Tint"), 10, (10, 38),
         ("Rougemere", "Petalune"),
         ("red", "nude", "pink", "berry", "coral", "plum"), None,
         ("long lasting", "vegan", "cruelty free", "matte"),
         ("jojoba oil", "shea butter", "castor seed oil", "hyaluronic spheres"),
         ("all-day wear", "date nights", "a polished office look", "weddings and parties"),
         ("a transfer-resistant finish", "a comfortable satin feel", "a precise bullet", "a magnetic case"),
         formula=True),
    _Sub("beauty", "fragrance", ("Eau de Parfum", "Eau de Toilette"), 9, (35, 160),
         ("Rougemere", "Tessaly"),
         (), None,
         ("long lasting", "vegan", "cruelty free"),
         ("bergamot and cedarwood", "jasmine and vanilla", "fig leaf and sea salt", "amber and pink pepper"),
         ("evenings out", "everyday wear", "gifting", "warm summer days"),
         ("a refillable glass bottle", "six to eight hours of wear", "a travel atomiser"),
         formula=True),
)

TAG_SENTENCES: dict[str, str] = {
    "waterproof": "Fully waterproof, so rain and puddles are no trouble.",
    "wireless": "Wireless: no cable to plug in or tangle.",
    "vegan": "Vegan, with no animal-derived ingredients or materials.",
    "organic": "Made with certified organic materials.",
    "lightweight": "Light enough that you forget it is there.",
    "trail": "Tuned for grip and stability off road.",
    "noise cancelling": "Active noise cancelling shuts out engines and chatter.",
    "breathable": "Breathable, so it stays comfortable when things heat up.",
    "cushioned": "Generous cushioning softens every step.",
    "reflective": "Reflective details help you stay visible after dark.",
    "insulated": "Insulated to keep the cold out.",
    "leather": "Genuine leather that softens and ages beautifully.",
    "recycled": "Uses recycled materials wherever it can.",
    "bluetooth": "Pairs over Bluetooth with phones, tablets and laptops.",
    "fast charging": "Fast charging tops up a phone in about half an hour.",
    "water resistant": "Water resistant enough for sweat, splashes and showers.",
    "rechargeable": "Recharges over USB-C.",
    "dishwasher safe": "Dishwasher safe for easy clean-up.",
    "non-stick": "The non-stick surface releases food with barely any oil.",
    "stainless steel": "Stainless steel that will not rust or stain.",
    "induction ready": "Works on every hob, induction included.",
    "hypoallergenic": "Hypoallergenic, a kind choice for allergy sufferers.",
    "cotton": "Soft, natural cotton against the skin.",
    "fragrance free": "Fragrance free for the most sensitive skin.",
    "cruelty free": "Never tested on animals.",
    "spf 50": "SPF 50 broad-spectrum protection.",
    "sulfate free": "Sulfate free, so it cleans without stripping.",
    "long lasting": "Long lasting: one application carries you through the day.",
    "non-slip": "A non-slip surface keeps you steady in every pose.",
    "bpa free": "BPA free.",
    "ultralight": "Ultralight, for when every gram counts.",
    "packable": "Packs down small into its own pocket.",
    "stretch": "A touch of stretch moves with you.",
    "ergonomic": "An ergonomic shape that is kind to wrists.",
    "mechanical": "Mechanical switches with a satisfying, crisp feel.",
    "backlit": "Backlit keys for late-night work.",
    "portable": "Portable enough to take anywhere.",
    "usb-c": "Charges over USB-C.",
    "compact": "Compact, so it fits where space is tight.",
    "machine washable": "Machine washable.",
    "quick dry": "Dries quickly after a wash or a sweaty session.",
    "canvas": "Sturdy canvas that only looks better with wear.",
    "handcrafted": "Handcrafted by skilled makers.",
    "linen": "Breathable linen that gets softer with every wash.",
    "windproof": "Windproof fabric blocks gusty weather.",
    "oven safe": "Oven safe, so you can start on the hob and finish in the oven.",
    "programmable": "Programmable, so coffee is ready when you wake up.",
    "stackable": "Stacks neatly to save cupboard space.",
    "airtight": "Airtight seals keep food fresher for longer.",
    "padded": "Padded straps make heavy loads easier to carry.",
    "freestanding": "Freestanding: pitch it anywhere, even on rock.",
    "eco-friendly": "Made from renewable, eco-friendly materials.",
    "leakproof": "Leakproof, so it can ride in a bag with a laptop.",
    "adjustable": "Adjustable, replacing a whole rack of weights.",
    "rubber coated": "Rubber coated to protect floors.",
    "ventilated": "Well ventilated for hot climbs.",
    "reef friendly": "A reef-friendly formula.",
    "matte": "A soft matte finish.",
    "gps": "Built-in GPS maps your routes without a phone.",
}

_ADJECTIVES = ("versatile", "dependable", "well-made", "thoughtfully designed", "great-value", "popular",
               "smartly built", "refined")
_PRICE_ENDINGS = (Decimal("0.99"), Decimal("0.99"), Decimal("0.99"), Decimal("0.95"), Decimal("0.49"))
MATERIAL_TAGS = ("leather", "canvas", "linen", "cotton", "recycled", "organic", "stainless steel")
_PLURAL_ENDINGS = ("headphones", "earbuds", "jeans")
_OUT_OF_STOCK_PRODUCTS = 7
_VARIANT_LIST_CHANCE = 0.48


# --------------------------------------------------------------------------------------------------------------
# Catalog generation
# --------------------------------------------------------------------------------------------------------------


def _sizes_for(scheme: str | None, rng: random.Random) -> list[str]:
    if scheme in ("shoe", "shoe_whole"):
        start = rng.choice((6, 7, 8))
        end = rng.choice((11, 12, 13))
        if scheme == "shoe" and rng.random() < 0.35:
            return [f"{n / 2:g}" for n in range(start * 2, end * 2 + 1)]
        return [str(n) for n in range(start, end + 1)]
    if scheme == "apparel":
        low, high = rng.choice(((0, 4), (1, 4), (1, 5), (0, 5), (2, 5)))
        return list(APPAREL_SIZES[low:high + 1])
    if scheme == "waist":
        low, high = rng.choice(((0, 4), (1, 5), (0, 5)))
        return list(WAIST_SIZES[low:high + 1])
    if scheme == "bed":
        return list(BED_SIZES[rng.choice((0, 1, 2)):])
    if scheme == "helmet":
        return list(HELMET_SIZES)
    if scheme == "watch":
        return list(WATCH_SIZES) if rng.random() < 0.5 else []
    return []


def _price(low: int, high: int, rng: random.Random) -> Decimal:
    whole = rng.randint(low, high)
    if whole >= 100:
        whole = max(low, round(whole / 10) * 10)
    elif whole >= 30:
        whole = max(low, round(whole / 5) * 5)
    return Decimal(whole - 1) + rng.choice(_PRICE_ENDINGS)


def _rating(rng: random.Random) -> Decimal:
    value = rng.triangular(2.5, 5.0, 4.5)
    return Decimal(str(round(value, 1)))


def _sentence(text: str) -> str:
    return text[0].upper() + text[1:]


def _with_article(phrase: str) -> str:
    if phrase.endswith(_PLURAL_ENDINGS):
        return phrase
    return f"{'an' if phrase[0] in 'aeiou' else 'a'} {phrase}"


def _tags(sub: _Sub, material: str, rng: random.Random) -> list[str]:
    """1-3 descriptive tags plus the material tags the material really has (no 'leather' on canvas)."""
    material = material.lower()
    free = [t for t in sub.tags if t not in MATERIAL_TAGS and not (t == "vegan" and _is_animal(material))]
    tags = rng.sample(free, rng.randint(1, min(3, len(free))))
    tags.extend(t for t in sub.tags if t in MATERIAL_TAGS and t in material)
    return tags


def _is_animal(material: str) -> bool:
    return any(word in material for word in ("leather", "suede", "calfskin", "nubuck", "down", "silk"))


def _description(sub: _Sub, brand: str, noun: str, material: str, tags: list[str], rng: random.Random) -> str:
    use = rng.choice(sub.uses)
    first, second = rng.sample(sub.features, 2)
    if sub.formula:
        opening = [f"Formulated with {material} for {use}.",
                   _sentence(f"{_with_article(noun.lower())} made with {material}, ideal for {use}.")]
    else:
        opening = [f"Made with {material} for {use}.",
                   _sentence(f"{_with_article(rng.choice(_ADJECTIVES) + ' ' + noun.lower())} in {material}."),
                   f"Built for {use}, with {first}."]
    extra = [rng.choice((f"Features {first}.", f"Comes with {first} and {second}.",
                         f"Highlights include {first} and {second}.")),
             rng.choice((f"Ideal for {use}.", f"A go-to pick for {use}.", f"By {brand}, known for {BRANDS[brand]}.")),
             ]
    extra.extend(TAG_SENTENCES[tag] for tag in tags[:2])
    sentences = [rng.choice(opening)]
    sentences.extend(rng.sample(extra, rng.choice((0, 1, 1, 2, 2))))
    # keep each phrase once: an opening that names the use or a feature makes a later repeat read twice
    unique: list[str] = []
    said: set[str] = set()
    for sentence in sentences:
        phrases = {p for p in (use, first, second) if p in sentence}
        if phrases & said:
            continue
        said |= phrases
        unique.append(sentence)
    return " ".join(unique)


def _stock_fields(colors: list[str], sizes: list[str], rng: random.Random) -> dict[str, object]:
    combos = [(c, s) for c in (colors or [None]) for s in (sizes or [None])]
    if len(combos) > 1 and rng.random() < _VARIANT_LIST_CHANCE:
        variants = []
        for color, size in combos:
            variant: dict[str, object] = {}
            if color is not None:
                variant["color"] = color
            if size is not None:
                variant["size"] = size
            variant["stock"] = 0 if rng.random() < 0.2 else rng.choice((1, 2, 3, 4, 6, 8, 12, 15, 20, 25))
            variants.append(variant)
        return {"variants": variants}
    fields: dict[str, object] = {}
    if colors:
        fields["colors"] = colors
    if sizes:
        fields["sizes"] = sizes
    fields["stock"] = rng.randint(3, 40)
    return fields


def _product(sub: _Sub, sku: str, brand: str, name: str, noun: str, rng: random.Random) -> dict:
    colors: list[str] = []
    if sub.colors and rng.random() >= sub.plain_chance:
        colors = rng.sample(sub.colors, rng.randint(1, min(4, len(sub.colors))))
    sizes = _sizes_for(sub.sizes, rng)
    material = rng.choice(sub.materials)
    tags = _tags(sub, material, rng)
    row: dict = {
        "sku": sku,
        "name": name,
        "brand": brand,
        "category": sub.category,
        "subcategory": sub.name,
        "price": _price(*sub.price_range(noun), rng),
        "currency": CURRENCY,
    }
    row.update(_stock_fields(colors, sizes, rng))
    row["rating"] = _rating(rng)
    row["description"] = _description(sub, brand, noun, material, tags, rng)
    row["image_url"] = f"https://example.com/img/{sku}.jpg"
    row["tags"] = tags
    return row


def _sell_out(row: dict) -> None:
    if "variants" in row:
        for variant in row["variants"]:
            variant["stock"] = 0
    else:
        row["stock"] = 0


def generate_catalog(seed: int = 7) -> list[dict]:
    """The sample catalog (CONTRACT §2 rows, prices as Decimal), identical for the same seed."""
    rng = random.Random(seed)
    rows: list[dict] = []
    names: set[str] = set()
    for category, (prefix, first_number) in CATEGORIES.items():
        number = first_number
        for sub in (s for s in _SUBCATEGORIES if s.category == category):
            brands = list(sub.brands)
            rng.shuffle(brands)
            for index in range(sub.count):
                brand = brands[index % len(brands)]
                noun = sub.nouns[0] if index % 3 != 2 else rng.choice(sub.nouns)
                while True:
                    name = f"{brand} {rng.choice(MODEL_WORDS[category])} {rng.choice(sub.numbers)} {noun}"
                    if name not in names:
                        break
                names.add(name)
                rows.append(_product(sub, f"{prefix}-{number}", brand, name, noun, rng))
                number += 1
    for index in sorted(rng.sample(range(len(rows)), _OUT_OF_STOCK_PRODUCTS)):
        _sell_out(rows[index])
    return rows


def _json_ready(row: dict) -> dict:
    ready = dict(row)
    for key in ("price", "rating"):
        value = ready.get(key)
        if isinstance(value, Decimal):
            as_float = float(value)
            if repr(as_float) != str(value):
                raise ValueError(f"{row['sku']}: {key} {value} does not print with its decimals as a JSON number")
            ready[key] = as_float
    return ready


def catalog_jsonl(rows: list[dict]) -> str:
    """The catalog as JSON Lines text, one product a line."""
    return "".join(json.dumps(_json_ready(row), ensure_ascii=False) + "\n" for row in rows)


def catalog_csv(rows: list[dict]) -> str:
    """The catalog as CSV text: lists joined by '|', variants as a JSON string column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for row in rows:
        cells = []
        for column in CSV_COLUMNS:
            value = row.get(column)
            if value is None:
                cells.append("")
            elif column == "variants":
                cells.append(json.dumps(value, ensure_ascii=False))
            elif isinstance(value, list):
                cells.append("|".join(value))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    return buffer.getvalue()


def write_sample_catalog(directory: Path) -> tuple[Path, Path]:
    """Write sample_catalog.jsonl and sample_catalog.csv into `directory`; returns both paths."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    rows = generate_catalog()
    jsonl_path = directory / CATALOG_JSONL
    csv_path = directory / CATALOG_CSV
    jsonl_path.write_text(catalog_jsonl(rows), encoding="utf-8", newline="\n")
    csv_path.write_text(catalog_csv(rows), encoding="utf-8", newline="\n")
    return jsonl_path, csv_path
