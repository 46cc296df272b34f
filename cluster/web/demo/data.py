"""The fictional organisations of the demo. Handles here are relied on by guides and checks."""

from __future__ import annotations

NORTHBROOK_PASSWORD = "northbrook-demo"
EASTWICK_PASSWORD = "eastwick-demo"
PLATFORM_PASSWORD = "platform-demo"

# (URN, name, phase, type of establishment, town)
NORTHBROOK_SCHOOLS = [
    ("990101", "Northbrook Primary School", "Primary", "Community school", "Northbrook"),
    (
        "990102",
        "St Mary’s Church of England Primary School",
        "Primary",
        "Voluntary aided school",
        "Northbrook",
    ),
    ("990103", "Hollins Lane Infant School", "Primary", "Community school", "Hollins"),
    ("990104", "Hollins Lane Junior School", "Primary", "Community school", "Hollins"),
    ("990105", "Ashcombe Primary Academy", "Primary", "Academy converter", "Ashcombe"),
    ("990106", "Brookside Nursery School", "Nursery", "Local authority nursery school", "Northbrook"),
    ("990107", "Fernhill Primary School", "Primary", "Community school", "Fernhill"),
    ("990108", "Our Lady of Lourdes Catholic Primary", "Primary", "Voluntary aided school", "Ashcombe"),
    ("990109", "Kingsmead Primary School", "Primary", "Foundation school", "Kingsmead"),
    ("990110", "Riverside Primary Academy", "Primary", "Academy sponsor led", "Northbrook"),
    ("990111", "Highfield Primary School", "Primary", "Community school", "Highfield"),
    ("990112", "Moorcroft Church of England Primary", "Primary", "Voluntary controlled school", "Moorcroft"),
    ("990201", "Northbrook Academy", "Secondary", "Academy converter", "Northbrook"),
    ("990202", "Ashcombe High School", "Secondary", "Community school", "Ashcombe"),
    ("990203", "Kingsmead School", "Secondary", "Foundation school", "Kingsmead"),
    ("990204", "St Aidan’s Catholic High School", "Secondary", "Voluntary aided school", "Fernhill"),
    ("990205", "Fernhill Sixth Form College", "16 plus", "Sixth form centres", "Fernhill"),
    ("990206", "Moorcroft Middle School", "Middle deemed secondary", "Community school", "Moorcroft"),
    ("990301", "Northbrook All-through Academy", "All-through", "Free schools", "Northbrook"),
    ("990401", "Oakfield Special School", "Not applicable", "Community special school", "Northbrook"),
    ("990402", "Willowbank School", "Not applicable", "Academy special converter", "Ashcombe"),
    ("990403", "Café Lane Communication Centre", "Not applicable", "Foundation special school", "Hollins"),
    ("990501", "Northbrook Learning Centre", "Not applicable", "Pupil referral unit", "Northbrook"),
    (
        "990502",
        "Kingsmead Alternative Provision Academy",
        "Not applicable",
        "Academy alternative provision converter",
        "Kingsmead",
    ),
]

NORTHBROOK_NETWORKS = {
    "North primary SENCOs": {
        "description": "Half-termly network for SENCOs of Northbrook's nursery, infant, junior and primary schools.",
        "urns": [
            "990101",
            "990102",
            "990103",
            "990104",
            "990105",
            "990106",
            "990107",
            "990108",
            "990109",
            "990110",
            "990111",
            "990112",
            "990301",
        ],
    },
    "Secondary SENCO network": {
        "description": "SENCOs of secondary, middle, sixth form and all-through schools: transition, exams access arrangements, post-16.",
        "urns": ["990201", "990202", "990203", "990204", "990205", "990206", "990301"],
    },
    "Special schools and AP": {
        "description": "Special schools, the pupil referral unit and alternative provision: outreach, placements and moderation.",
        "urns": ["990401", "990402", "990403", "990501", "990502"],
    },
}

# (first name, last name) of senco1 ... senco20, each at the school of the same index.
NORTHBROOK_SENCOS = [
    ("Amira", "Hussain"),
    ("Ben", "Clarke"),
    ("Chloe", "Davies"),
    ("Daniel", "O’Connor"),
    ("Ella", "Price"),
    ("Farah", "Ahmed"),
    ("George", "Whitfield"),
    ("Hannah", "Kowalski"),
    ("Isaac", "Mensah"),
    ("Jess", "Taylor"),
    ("Kiran", "Patel"),
    ("Laura", "Bennett"),
    ("Mohammed", "Ali"),
    ("Niamh", "Brennan"),
    ("Oliver", "Hughes"),
    ("Priya", "Sharma"),
    ("Rachel", "Green"),
    ("Sam", "Okafor"),
    ("Tom", "Fletcher"),
    ("Zoë", "Martin"),
]
# The school (by URN) of each senco, in order: primary, secondary, special, all-through and the PRU.
NORTHBROOK_SENCO_SCHOOLS = [
    "990101",
    "990102",
    "990103",
    "990104",
    "990105",
    "990107",
    "990109",
    "990110",
    "990111",
    "990112",
    "990201",
    "990202",
    "990203",
    "990204",
    "990206",
    "990301",
    "990401",
    "990402",
    "990403",
    "990501",
]

EASTWICK_SCHOOLS = [
    ("991101", "Eastwick Primary Academy", "Primary", "Academy sponsor led", "Eastwick"),
    ("991102", "Marsh Green Primary Academy", "Primary", "Academy converter", "Marsh Green"),
    ("991103", "Eastwick Park Academy", "Secondary", "Academy sponsor led", "Eastwick"),
    ("991104", "Saltings Academy", "Secondary", "Academy converter", "Saltings"),
    ("991105", "The Harbour School", "Not applicable", "Academy special sponsor led", "Eastwick"),
    ("991106", "Wickham Fields Primary Academy", "Primary", "Academy converter", "Wickham"),
]
EASTWICK_SENCOS = [
    ("Alice", "Turner"),
    ("Bilal", "Rahman"),
    ("Catherine", "Lowe"),
    ("Dev", "Chauhan"),
    ("Erin", "Walsh"),
]
