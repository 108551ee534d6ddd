"""Demo cases for local runs (seed_demo): realistic Danish cases from Region Midtjylland.

Idempotent: a case whose slug exists is left alone. The figures are plausible illustrations
for the demo, not official statistics.
"""

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Organisation, User
from cases import services
from cases.models import Case, Origin, Status, WorkStatus
from komvidere.models import PlanStage, Sector, Theme

MODERATOR = "coordinator@rm.dk"

# Each case: the fields for case_create plus its author, status and the slugs of its taxonomy
# terms and organisations.
CASES: list[dict] = [
    {
        "slug": "samsoe-borgerejede-vindmoeller",
        "title": "Samsøs borgerejede vindmøller",
        "author": "energi@samsoe.dk",
        "organisation": "samsoe",
        "partners": ["region-midtjylland"],
        "origin": Origin.OTHER,
        "work_status": WorkStatus.COMPLETED,
        "years": (1997, 2007),
        "sectors": ["energi"],
        "themes": ["borgerinddragelse", "finansiering"],
        "stage": "implementering",
        "tags": ["vindmøller", "borgerejerskab", "vedvarende energi"],
        "summary": (
            "Øens borgere, landmænd og kommunen ejer i fællesskab 11 landmøller og 10 havmøller, "
            "der producerer mere strøm, end Samsø bruger. Lokalt ejerskab gav opbakning og "
            "overskud, der bliver på øen."
        ),
        "challenge": (
            "Samsø vandt i 1997 en statslig konkurrence om at blive Danmarks vedvarende "
            "energi-ø. Øen var fuldt afhængig af importeret olie og kul, og mange borgere var "
            "skeptiske over for store vindmøller i landskabet."
        ),
        "solution": (
            "Møllerne blev finansieret gennem andelsselskaber, lokale landmænd og kommunen.\n\n"
            "- 11 landmøller på 1 MW, ejet af landmænd og andelshavere\n"
            "- 10 havmøller på 2,3 MW syd for øen, hvoraf kommunen ejer fem\n"
            "- Borgermøder i alle landsbyer, før placeringerne blev besluttet"
        ),
        "citizen_involvement": (
            "Over hundrede borgermøder og et fast energikontor, hvor alle kunne få svar. "
            "Borgerne kunne købe andele for få tusinde kroner."
        ),
        "results": (
            "Øen producerer mere vedvarende strøm end den forbruger, og overskuddet opvejer "
            "udledningen fra færger og biler. Indtægterne fra møllerne bliver på øen."
        ),
        "lessons_learned": (
            "Ejerskab skaber accept. Brug tid på at lytte, før projektet ligger fast, og lad "
            "lokale ildsjæle være ansigtet udadtil."
        ),
        "transferability": (
            "Modellen med andelsejede møller kan bruges i alle kommuner med plads til "
            "vindmøller. Kræver en lokal tovholder og tidlig dialog med naboerne."
        ),
        "co2e": "40000",
        "budget": 440_000_000,
        "contact": ("Anders Holm", "energi@samsoe.dk"),
        "featured": True,
    },
    {
        "slug": "silkeborg-fra-naturgas-til-fjernvarme",
        "title": "Fra naturgas til fjernvarme i Silkeborgs forstæder",
        "author": "planner@silkeborg.dk",
        "organisation": "silkeborg",
        "partners": [],
        "origin": Origin.UTILITY,
        "work_status": WorkStatus.ONGOING,
        "years": (2021, 2027),
        "sectors": ["energi", "bygninger"],
        "themes": ["borgerinddragelse", "organisatorisk-forankring"],
        "stage": "implementering",
        "tags": ["fjernvarme", "varmeplan", "naturgas"],
        "summary": (
            "Silkeborg Forsyning udbygger fjernvarmen til 4.000 boliger, der i dag har gasfyr. "
            "Kommunens varmeplan prioriterer områderne, og husejerne tilbydes gratis tilslutning."
        ),
        "challenge": (
            "Omkring hver femte bolig i kommunen blev opvarmet med naturgas. Husejerne "
            "manglede overblik over, hvornår fjernvarmen ville komme, og om de skulle vælge "
            "varmepumpe i stedet."
        ),
        "objectives": "Alle boliger i fjernvarmeområderne skal være fri af naturgas i 2028.",
        "solution": (
            "En opdateret varmeplan med kort over, hvilke områder der får fjernvarme og "
            "hvornår. Forsyningen tilbyder tilslutning uden tilslutningsbidrag, og kommunen "
            "holder informationsmøder i hvert område."
        ),
        "results": (
            "Godt 2.300 boliger var tilsluttet ved udgangen af 2024. Tilslutningsprocenten "
            "ligger over 80 i de færdige etaper."
        ),
        "costs_and_funding": (
            "Anlægget finansieres af forsyningen via lån i KommuneKredit og tilbagebetales "
            "over varmeprisen. Staten har givet tilskud til sløjfning af gasfyr."
        ),
        "lessons_learned": "Klar besked om tidsplanen er vigtigere end en lav pris.",
        "co2e": "11500",
        "budget": 310_000_000,
        "contact": ("Mette Kjær", "planner@silkeborg.dk"),
    },
    {
        "slug": "aarhus-fjernvarme-uden-kul",
        "title": "Aarhus' fjernvarme uden kul: Studstrupværket på biomasse og varmepumper",
        "author": "klima@aarhus.dk",
        "organisation": "aarhus",
        "partners": [],
        "origin": Origin.UTILITY,
        "work_status": WorkStatus.COMPLETED,
        "years": (2016, 2023),
        "sectors": ["energi"],
        "themes": ["politisk-forankring", "samarbejde-med-erhvervsliv"],
        "stage": "implementering",
        "tags": ["fjernvarme", "kuludfasning", "varmepumper"],
        "summary": (
            "Kul er udfaset i Aarhus' fjernvarme. Studstrupværket kører på træpiller, og store "
            "elektriske varmepumper udnytter spildevand og overskudsvarme."
        ),
        "challenge": "Fjernvarmen i Aarhus var i 2010 stadig delvist baseret på kul.",
        "solution": (
            "Kommunen og Kredsløb aftalte en plan for kulfri fjernvarme: ombygning af "
            "Studstrupværket, varmepumper ved renseanlæg og aftaler om overskudsvarme fra "
            "virksomheder."
        ),
        "results": "Fjernvarmen har været kulfri siden 2023.",
        "lessons_learned": (
            "Politisk enighed om en fast slutdato gjorde investeringerne lettere at træffe "
            "beslutning om."
        ),
        "transferability": "Relevant for større byer med centrale kraftvarmeværker.",
        "co2e": "180000",
        "budget": 1_200_000_000,
        "contact": ("Sofie Lund", "klima@aarhus.dk"),
    },
    {
        "slug": "aarhus-supercykelstier",
        "title": "Supercykelstier mellem Aarhus og omegnskommunerne",
        "author": "klima@aarhus.dk",
        "organisation": "aarhus",
        "partners": ["skanderborg", "favrskov", "region-midtjylland"],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.ONGOING,
        "years": (2019, 2030),
        "sectors": ["transport"],
        "themes": ["samarbejde-med-erhvervsliv", "finansiering"],
        "stage": "implementering",
        "tags": ["cykling", "supercykelsti", "pendling"],
        "summary": (
            "Brede, sammenhængende cykelstier med grøn bølge og servicestationer skal få flere "
            "pendlere på cyklen mellem Aarhus, Skanderborg og Hinnerup."
        ),
        "challenge": (
            "Over halvdelen af pendlingen ind til Aarhus sker i bil, også på ture under 15 km."
        ),
        "solution": (
            "Tre ruter udbygges med fælles standard: bredere stier, færre stop, LED-belysning "
            "og cykelpumper. Kommunerne søger statens cykelpulje sammen."
        ),
        "citizen_involvement": "Arbejdspladser langs ruterne har deltaget i kampagner.",
        "results": "Tællinger viser 20 % flere cyklister på den første færdige strækning.",
        "costs_and_funding": "Halvdelen finansieres af statens cykelpulje.",
        "co2e": "1200",
        "budget": 95_000_000,
        "contact": ("Sofie Lund", "klima@aarhus.dk"),
    },
    {
        "slug": "viborg-skybrudssikring-i-byen",
        "title": "Skybrudssikring af Viborg midtby med regnvandsbede og forsinkelsesbassiner",
        "author": "klima@viborg.dk",
        "organisation": "viborg",
        "partners": [],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.ONGOING,
        "years": (2018, 2026),
        "sectors": ["klimatilpasning"],
        "themes": ["borgerinddragelse", "organisatorisk-forankring"],
        "stage": "implementering",
        "tags": ["skybrud", "regnvand", "LAR"],
        "summary": (
            "Viborg Kommune og Viborg Forsyning leder regnvand fra skybrud væk fra kældre via "
            "regnvandsbede, grønne veje og bassiner, der også er rekreative områder."
        ),
        "challenge": (
            "Skybrud i 2014 og 2016 satte kældre og veje i midtbyen under vand. Kloakken kan "
            "ikke udvides nok til at tage de største regnskyl."
        ),
        "solution": (
            "Overfladeløsninger: vejbede, kantstensløse gader, der fører vandet mod søerne, og "
            "to forsinkelsesbassiner i parker. Kloakken separeres samtidig."
        ),
        "citizen_involvement": "Grundejerne fik tilbud om rådgivning om nedsivning på egen grund.",
        "results": "Ingen oversvømmede kældre i midtbyen ved skybruddet i 2023.",
        "lessons_learned": "Tænk løsningerne sammen med byfornyelse, så de bliver byrum.",
        "transferability": "Kan bruges i alle byer med kombineret kloak og lavtliggende områder.",
        "co2e": None,
        "budget": 140_000_000,
        "contact": ("Jonas Kristensen", "klima@viborg.dk"),
        "featured": True,
    },
    {
        "slug": "herning-biogas-fra-gylle",
        "title": "Biogas af gylle og restprodukter i Herning",
        "author": "klima@herning.dk",
        "organisation": "herning",
        "partners": ["ikast-brande"],
        "origin": Origin.BUSINESS,
        "work_status": WorkStatus.COMPLETED,
        "years": (2018, 2021),
        "sectors": ["landbrug", "energi"],
        "themes": ["samarbejde-med-erhvervsliv"],
        "stage": "implementering",
        "tags": ["biogas", "gylle", "landbrug"],
        "summary": (
            "Et fælles biogasanlæg afgasser gylle fra omkring 60 landbrug og restprodukter fra "
            "fødevareindustrien og leverer opgraderet gas til gasnettet."
        ),
        "challenge": "Metan fra gylle er en stor kilde til udledning i en landbrugskommune.",
        "solution": (
            "Kommunen fandt en placering væk fra boliger, planlagde transportruter med "
            "landmændene og gav hurtig sagsbehandling."
        ),
        "results": "Anlægget leverer gas svarende til forbruget i 12.000 husstande.",
        "lessons_learned": (
            "Tidlig dialog med naboer om lugt og lastbiltrafik var afgørende for accepten."
        ),
        "co2e": "28000",
        "budget": 250_000_000,
        "contact": ("Karen Thomsen", "klima@herning.dk"),
    },
    {
        "slug": "skive-greenlab-power-to-x",
        "title": "GreenLab Skive: grøn industripark med Power-to-X",
        "author": "klima@skive.dk",
        "organisation": "skive",
        "partners": ["region-midtjylland"],
        "origin": Origin.BUSINESS,
        "work_status": WorkStatus.ONGOING,
        "years": (2018, 2028),
        "sectors": ["industri-og-processer", "energi"],
        "themes": ["samarbejde-med-erhvervsliv", "finansiering"],
        "stage": "implementering",
        "tags": ["Power-to-X", "brint", "industrisymbiose"],
        "summary": (
            "En industripark hvor virksomheder deler strøm, varme og restprodukter. "
            "Vindmøllestrøm omdannes til brint, og overskudsvarme går til fjernvarmen."
        ),
        "challenge": "Lokal vindstrøm blev ikke udnyttet, når nettet var fyldt.",
        "solution": (
            "Kommunen lokalplanlagde et område til energi-symbiose med eget el-net (SymbiosisNet) "
            "og fik en regulatorisk testzone."
        ),
        "results": "Europas første kommercielle Power-to-X-anlæg af sin størrelse er i drift.",
        "lessons_learned": "Kommunen skal turde være tidlig med planlægningen.",
        "transferability": "Kræver adgang til meget vedvarende strøm og store areal-reserver.",
        "co2e": "15000",
        "budget": 800_000_000,
        "contact": ("Peter Nielsen", "klima@skive.dk"),
    },
    {
        "slug": "horsens-borgerklimapanel",
        "title": "Borgernes klimapanel i Horsens",
        "author": "klima@horsens.dk",
        "organisation": "horsens",
        "partners": [],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.COMPLETED,
        "years": (2021, 2022),
        "sectors": ["tvaergaaende"],
        "themes": ["borgerinddragelse", "politisk-forankring"],
        "stage": "maal-og-handlinger",
        "tags": ["klimapanel", "borgerting", "demokrati"],
        "summary": (
            "36 lodtrukne borgere mødtes seks weekender og gav byrådet 25 anbefalinger til "
            "klimaplanen. Byrådet svarede skriftligt på hver enkelt."
        ),
        "challenge": "Klimaplanen manglede opbakning uden for de allerede engagerede.",
        "solution": (
            "Et repræsentativt panel trukket ud fra CPR, med diæter, børnepasning og uvildig "
            "facilitering. Eksperter holdt oplæg efter panelets ønsker."
        ),
        "citizen_involvement": "Panelet satte selv dagsordenen for de sidste tre møder.",
        "results": "18 af 25 anbefalinger indgår i den vedtagne klimaplan.",
        "lessons_learned": "Byrådets skriftlige svar er afgørende for tilliden.",
        "transferability": "Kan gentages i alle kommuner; budget på ca. 600.000 kr.",
        "co2e": None,
        "budget": 600_000,
        "contact": ("Louise Jensen", "klima@horsens.dk"),
    },
    {
        "slug": "randers-elbusser-i-bybusserne",
        "title": "Elbusser i Randers' bybusser",
        "author": "klima@randers.dk",
        "organisation": "randers",
        "partners": ["region-midtjylland"],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.COMPLETED,
        "years": (2020, 2023),
        "sectors": ["transport"],
        "themes": ["finansiering"],
        "stage": "implementering",
        "tags": ["elbusser", "kollektiv trafik"],
        "summary": (
            "Alle bybusser i Randers kører på el efter et udbud, hvor kommunen og Midttrafik "
            "stillede krav om nulemission."
        ),
        "challenge": "Dieselbusser stod for en stor del af kommunens egen transportudledning.",
        "solution": "Nyt udbud med krav om elbusser og ladning på depotet om natten.",
        "results": "30 elbusser i drift og lavere driftsudgifter end forventet.",
        "lessons_learned": "Inddrag chaufførerne tidligt i valg af busser og køreplaner.",
        "co2e": "2100",
        "budget": 45_000_000,
        "contact": ("Ida Mortensen", "klima@randers.dk"),
    },
    {
        "slug": "randers-kommunens-egne-bygninger",
        "title": "Energirenovering af Randers Kommunes egne bygninger",
        "author": "klima@randers.dk",
        "organisation": "randers",
        "partners": [],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.ONGOING,
        "years": (2020, 2026),
        "sectors": ["bygninger"],
        "themes": ["data-og-opfoelgning", "organisatorisk-forankring"],
        "stage": "implementering",
        "tags": ["energirenovering", "ESCO", "fjernaflæsning"],
        "summary": (
            "Skoler og institutioner får fjernaflæste målere, LED og bedre styring af "
            "ventilation. Besparelserne finansierer næste etape."
        ),
        "challenge": "Kommunen manglede data om energiforbruget i sine 300 bygninger.",
        "solution": "Fjernaflæsning af el, vand og varme og en energiprioriteret renoveringsliste.",
        "results": "Varmeforbruget er faldet 14 % i de første 80 bygninger.",
        "co2e": "900",
        "budget": 60_000_000,
        "contact": ("Ida Mortensen", "klima@randers.dk"),
    },
    {
        "slug": "ringkoebing-skjern-energiby",
        "title": "Ringkøbing-Skjern som selvforsynende energikommune",
        "author": "coordinator@rm.dk",
        "organisation": "ringkoebing-skjern",
        "partners": [],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.ONGOING,
        "years": (2010, 2030),
        "sectors": ["energi", "landbrug"],
        "themes": ["politisk-forankring", "samarbejde-med-erhvervsliv"],
        "stage": "opfoelgning",
        "tags": ["vindmøller", "solceller", "selvforsyning"],
        "summary": (
            "Kommunen producerer i dag mere vedvarende energi end den bruger, takket være "
            "vindmøller, biogas og solceller planlagt i en samlet energiplan."
        ),
        "challenge": "Stor kommune med meget landbrug og spredt bebyggelse.",
        "solution": "En langsigtet energiplan med udpegede områder til vindmøller og solceller.",
        "results": "Over 100 % selvforsyning med vedvarende el siden 2020.",
        "lessons_learned": "Naboordninger og lokal medfinansiering har givet ro om projekterne.",
        "co2e": "60000",
        "budget": None,
        "contact": ("Lars Bøgh", "coordinator@rm.dk"),
    },
    {
        "slug": "lemvig-klimatilpasning-ved-limfjorden",
        "title": "Kystsikring og klimatilpasning ved Limfjorden i Lemvig",
        "author": "coordinator@rm.dk",
        "organisation": "lemvig",
        "partners": ["struer"],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.ONGOING,
        "years": (2019, 2027),
        "sectors": ["klimatilpasning"],
        "themes": ["borgerinddragelse", "finansiering"],
        "stage": "maal-og-handlinger",
        "tags": ["stormflod", "kystsikring", "havvandsstigning"],
        "summary": (
            "Lemvig havn og by sikres mod stormflod med en kombination af højvandsmur, "
            "pumper og en promenade, der også er byrum."
        ),
        "challenge": "Stormfloder har flere gange oversvømmet havneområdet.",
        "solution": "Et digelag med grundejerne og en højvandsmur integreret i promenaden.",
        "citizen_involvement": "Grundejerne stemte om finansieringsmodellen i digelaget.",
        "results": "Første etape færdig; dimensioneret til en 100-års hændelse i 2070.",
        "co2e": None,
        "budget": 75_000_000,
        "contact": ("Lars Bøgh", "coordinator@rm.dk"),
    },
    {
        "slug": "skanderborg-groenne-madordninger",
        "title": "Mere grønt og mindre madspild i Skanderborgs køkkener",
        "author": "coordinator@rm.dk",
        "organisation": "skanderborg",
        "partners": [],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.COMPLETED,
        "years": (2021, 2023),
        "sectors": ["forbrug-og-foedevarer"],
        "themes": ["scope-3-og-forbrug", "kompetenceudvikling"],
        "stage": "implementering",
        "tags": ["madspild", "plantebaseret", "offentlige køkkener"],
        "summary": (
            "Kommunens storkøkkener halverede kødforbruget og madspildet med nye menuer, "
            "efteruddannelse af køkkenpersonalet og løbende måling."
        ),
        "challenge": "Fødevareindkøb var kommunens største udledning i scope 3.",
        "solution": "Nye menuplaner, kurser for køkkenerne og vejning af madspild hver uge.",
        "results": "Klimaaftrykket pr. måltid faldt 35 % uden flere klager.",
        "lessons_learned": "Start med retter, der er gode i sig selv, ikke med erstatninger.",
        "transferability": "Kan bruges i alle kommuner med egne produktionskøkkener.",
        "co2e": "650",
        "budget": 2_500_000,
        "contact": ("Lars Bøgh", "coordinator@rm.dk"),
    },
    {
        "slug": "favrskov-lavbundsjorde",
        "title": "Udtagning af kulstofrige lavbundsjorde i Favrskov",
        "author": "coordinator@rm.dk",
        "organisation": "favrskov",
        "partners": ["region-midtjylland"],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.ONGOING,
        "years": (2022, 2028),
        "sectors": ["arealanvendelse", "landbrug"],
        "themes": ["samarbejde-med-erhvervsliv", "finansiering"],
        "stage": "implementering",
        "tags": ["lavbundsjorde", "jordfordeling", "natur"],
        "summary": (
            "Langs Gudenåen tages drænede lavbundsjorde ud af drift og vådlægges. "
            "Lodsejerne får erstatningsjord gennem jordfordeling."
        ),
        "challenge": "Drænede tørvejorde udleder store mængder CO2, mens de dyrkes.",
        "solution": "En lodsejerkonsulent og jordfordeling gør det frivilligt og attraktivt.",
        "citizen_involvement": "Møder med alle lodsejere i projektområdet, ét ad gangen.",
        "results": "350 hektar aftalt udtaget; vådlægningen går i gang i 2025.",
        "co2e": "7000",
        "budget": 40_000_000,
        "contact": ("Lars Bøgh", "coordinator@rm.dk"),
    },
    {
        "slug": "holstebro-varmepumper-i-landsbyer",
        "title": "Fælles varmepumpeudbud for landsbyer uden for fjernvarme",
        "author": "coordinator@rm.dk",
        "organisation": "holstebro",
        "partners": [],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.COMPLETED,
        "years": (2022, 2024),
        "sectors": ["energi", "bygninger"],
        "themes": ["borgerinddragelse"],
        "stage": "implementering",
        "tags": ["varmepumper", "oliefyr", "landsbyer"],
        "summary": (
            "Kommunen samlede husejere i otte landsbyer i et fælles udbud af varmepumper. "
            "Prisen blev 20 % lavere end ved enkeltkøb."
        ),
        "challenge": "Husejere med oliefyr var usikre på valg af varmepumpe og installatør.",
        "solution": "Uvildig energirådgivning, fælles udbud og et fast kontaktpunkt.",
        "results": "420 oliefyr og gasfyr udskiftet.",
        "lessons_learned": "Lokale ambassadører i landsbyerne fik flest med.",
        "co2e": "2400",
        "budget": 1_800_000,
        "contact": ("Lars Bøgh", "coordinator@rm.dk"),
    },
    {
        "slug": "syddjurs-delebiler-i-landdistrikter",
        "title": "Delebiler og samkørsel i Syddjurs' landdistrikter",
        "author": "coordinator@rm.dk",
        "organisation": "syddjurs",
        "partners": ["norddjurs"],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.ONGOING,
        "years": (2023, 2026),
        "sectors": ["transport"],
        "themes": ["borgerinddragelse"],
        "stage": "implementering",
        "tags": ["delebiler", "samkørsel", "landdistrikter"],
        "summary": (
            "Elbiler til deling i ti landsbyer, drevet af lokale foreninger med kommunal "
            "opstartsstøtte, og en samkørselsapp til pendlere."
        ),
        "challenge": "Få busafgange gør bil nummer to nødvendig for mange familier.",
        "solution": "Foreningsdrevne delebiler med ladestandere ved forsamlingshusene.",
        "results": "Syv af ti foreninger kører videre uden tilskud efter to år.",
        "co2e": "120",
        "budget": 3_200_000,
        "contact": ("Lars Bøgh", "coordinator@rm.dk"),
    },
    {
        "slug": "hedensted-klimaregnskab-for-virksomheder",
        "title": "Klimaregnskaber for små og mellemstore virksomheder i Hedensted",
        "author": "coordinator@rm.dk",
        "organisation": "hedensted",
        "partners": [],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.COMPLETED,
        "years": (2021, 2023),
        "sectors": ["industri-og-processer", "tvaergaaende"],
        "themes": ["samarbejde-med-erhvervsliv", "data-og-opfoelgning"],
        "stage": "kortlaegning",
        "tags": ["klimaregnskab", "SMV", "erhvervsservice"],
        "summary": (
            "Erhvervsrådet og kommunen hjalp 60 virksomheder med deres første klimaregnskab "
            "og en handlingsplan med konkrete besparelser."
        ),
        "challenge": "Små virksomheder får krav fra kunder om klimadata, men mangler viden.",
        "solution": "Workshops i netværk og en gratis rådgiver i to dage pr. virksomhed.",
        "results": "Virksomhederne fandt i snit besparelser på 12 % af deres energiforbrug.",
        "co2e": "1500",
        "budget": 2_000_000,
        "contact": ("Lars Bøgh", "coordinator@rm.dk"),
    },
    {
        "slug": "odder-solceller-paa-kommunale-tage",
        "title": "Solceller på alle egnede kommunale tage i Odder",
        "author": "coordinator@rm.dk",
        "organisation": "odder",
        "partners": [],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.COMPLETED,
        "years": (2021, 2022),
        "sectors": ["energi", "bygninger"],
        "themes": ["finansiering"],
        "stage": "implementering",
        "tags": ["solceller", "egen drift"],
        "summary": "1,2 MW solceller på 25 kommunale bygninger dækker en femtedel af elforbruget.",
        "challenge": "Kommunens elforbrug i egen drift var stigende.",
        "solution": "Ét samlet udbud og en screening af alle tage for bæreevne og skygge.",
        "results": "Tilbagebetalingstiden blev under otte år.",
        "co2e": "150",
        "budget": 9_000_000,
        "contact": ("Lars Bøgh", "coordinator@rm.dk"),
    },
    {
        "slug": "struer-genbrugstorv",
        "title": "Genbrugstorv og reparationscafé på Struers genbrugsplads",
        "author": "coordinator@rm.dk",
        "organisation": "struer",
        "partners": [],
        "origin": Origin.UTILITY,
        "work_status": WorkStatus.COMPLETED,
        "years": (2020, 2021),
        "sectors": ["affald-og-spildevand", "forbrug-og-foedevarer"],
        "themes": ["borgerinddragelse", "scope-3-og-forbrug"],
        "stage": "implementering",
        "tags": ["genbrug", "cirkulær økonomi", "reparation"],
        "summary": (
            "Brugbare ting tages fra, før de smides ud, og sælges billigt. Frivillige reparerer "
            "cykler og småelektronik hver lørdag."
        ),
        "challenge": "Meget brugbart endte i containerne til forbrænding.",
        "solution": (
            "Et genbrugstorv ved indgangen og en reparationscafé i samarbejde med foreninger."
        ),
        "results": "180 tons genbrugt om året.",
        "co2e": "300",
        "budget": 1_100_000,
        "contact": ("Lars Bøgh", "coordinator@rm.dk"),
    },
    {
        "slug": "ikast-brande-spildevand-til-energi",
        "title": "Renseanlæg der producerer mere energi, end det bruger",
        "author": "coordinator@rm.dk",
        "organisation": "ikast-brande",
        "partners": [],
        "origin": Origin.UTILITY,
        "work_status": WorkStatus.COMPLETED,
        "years": (2017, 2020),
        "sectors": ["affald-og-spildevand", "energi"],
        "themes": ["data-og-opfoelgning"],
        "stage": "implementering",
        "tags": ["renseanlæg", "lattergas", "biogas"],
        "summary": (
            "Forsyningens renseanlæg udnytter slammet til biogas og styrer processen, så "
            "udledningen af lattergas er mere end halveret."
        ),
        "challenge": "Lattergas fra renseanlæg er en overset, men stor klimabelastning.",
        "solution": "Online målinger af lattergas og ny styring af beluftningen.",
        "results": "Lattergas reduceret 60 %; anlægget er energineutralt.",
        "co2e": "3500",
        "budget": 12_000_000,
        "contact": ("Lars Bøgh", "coordinator@rm.dk"),
    },
    {
        "slug": "norddjurs-kompetenceloeft-for-byggesag",
        "title": "Kompetenceløft i byggesagsbehandlingen om klimakrav",
        "author": "coordinator@rm.dk",
        "organisation": "norddjurs",
        "partners": ["syddjurs"],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.PLANNED,
        "years": (2025, 2026),
        "sectors": ["bygninger"],
        "themes": ["kompetenceudvikling", "organisatorisk-forankring"],
        "stage": "forankring-og-samarbejde",
        "tags": ["LCA", "bygningsreglementet", "byggesag"],
        "summary": (
            "Norddjurs og Syddjurs uddanner byggesagsbehandlerne sammen, så de kan vejlede om "
            "bygningsreglementets nye CO2-grænseværdier."
        ),
        "challenge": "Nye krav om livscyklusvurdering (LCA) var ukendte for mange ansøgere.",
        "solution": "Fælles kursusforløb, tjeklister og en ugentlig åben telefontid.",
        "co2e": None,
        "budget": 400_000,
        "contact": ("Lars Bøgh", "coordinator@rm.dk"),
    },
    {
        "slug": "viborg-groenne-indkoeb",
        "title": "Grønne indkøb med klimakrav i Viborgs udbud",
        "author": "klima@viborg.dk",
        "organisation": "viborg",
        "partners": [],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.ONGOING,
        "years": (2023, None),
        "sectors": ["tvaergaaende", "forbrug-og-foedevarer"],
        "themes": ["scope-3-og-forbrug", "organisatorisk-forankring"],
        "stage": "maal-og-handlinger",
        "tags": ["indkøb", "scope 3", "udbud"],
        "summary": "Klimakrav i alle udbud over 500.000 kr. og en tjekliste for indkøberne.",
        "challenge": "Indkøb står for over halvdelen af kommunens samlede klimaaftryk.",
        "solution": "Standardkrav, der vægtes i tildelingen, og fælles skabeloner.",
        "status": Status.SUBMITTED,
        "co2e": None,
        "budget": None,
        "contact": ("Jonas Kristensen", "klima@viborg.dk"),
    },
    {
        "slug": "silkeborg-klimaskov-med-borgerne",
        "title": "Klimaskov plantet sammen med borgerne i Silkeborg",
        "author": "planner@silkeborg.dk",
        "organisation": "silkeborg",
        "partners": [],
        "origin": Origin.MUNICIPALITY,
        "work_status": WorkStatus.PLANNED,
        "years": (2025, 2027),
        "sectors": ["arealanvendelse"],
        "themes": ["borgerinddragelse"],
        "stage": "maal-og-handlinger",
        "tags": ["skovrejsning", "grundvand"],
        "summary": "Ny skov på 40 hektar, der beskytter grundvandet og binder CO2.",
        "challenge": "Grundvandet skal beskyttes, og der mangler bynær natur.",
        "solution": "Plantedage med skoler og foreninger; stier planlagt sammen med naboerne.",
        "status": Status.DRAFT,
        "co2e": "400",
        "budget": 3_000_000,
        "contact": ("Mette Kjær", "planner@silkeborg.dk"),
    },
]


def seed(users: dict[str, User]) -> None:
    """Create the demo cases through the services, so they get revisions like real ones."""
    moderator = users.get(MODERATOR) or User.objects.get(email=MODERATOR)
    sectors = {s.slug: s for s in Sector.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    stages = {p.slug: p for p in PlanStage.objects.all()}
    organisations = {o.slug: o for o in Organisation.objects.all()}
    existing = set(
        Case.objects.filter(slug__in=[c["slug"] for c in CASES]).values_list("slug", flat=True)
    )
    now = timezone.now()
    for age, spec in enumerate(CASES):
        if spec["slug"] in existing:
            continue
        author = users.get(spec["author"]) or User.objects.get(email=spec["author"])
        name, email = spec["contact"]
        start, end = spec["years"]
        fields = {
            "title": spec["title"],
            "summary": spec["summary"],
            "organisation": organisations[spec["organisation"]],
            "partners": [organisations[slug] for slug in spec["partners"]],
            "origin": spec["origin"],
            "work_status": spec["work_status"],
            "year_start": start,
            "year_end": end,
            "sectors": [sectors[slug] for slug in spec["sectors"]],
            "themes": [themes[slug] for slug in spec["themes"]],
            "plan_stage": stages[spec["stage"]],
            "tags": spec["tags"],
            "co2e_tonnes_per_year": Decimal(spec["co2e"]) if spec["co2e"] else None,
            "budget_dkk": spec["budget"],
            "contact_name": name,
            "contact_email": email,
        }
        for section in (
            "challenge",
            "objectives",
            "solution",
            "citizen_involvement",
            "results",
            "costs_and_funding",
            "lessons_learned",
            "transferability",
        ):
            fields[section] = spec.get(section, "")
        status = spec.get("status", Status.PUBLISHED)
        case = services.case_create(
            author=author, submit=status in (Status.SUBMITTED, Status.PUBLISHED), **fields
        )
        if case.slug != spec["slug"]:
            Case.objects.filter(pk=case.pk).update(slug=spec["slug"])
            case.slug = spec["slug"]
        if status == Status.PUBLISHED:
            services.case_publish(case=case, user=moderator, notify=False)
            # Spread the publication dates so "newest" has a meaningful order.
            published = now - timedelta(days=9 * (len(CASES) - age))
            Case.objects.filter(pk=case.pk).update(
                published_at=published,
                last_reviewed_at=timezone.localdate(published),
                review_due=timezone.localdate(published + timedelta(days=180)),
            )
            if spec.get("featured"):
                services.case_set_featured(case=case, user=moderator, featured=True)
