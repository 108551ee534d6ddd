"""Demo dilemmas for local runs (seed_demo). Idempotent: a dilemma is matched by its title.

Rows are written directly (not through the services) so that seeding sends no e-mail, is not
rate limited, and can spread activity over the past weeks; the derived fields (reply_count,
last_activity_at, status) are set to what the services would have made of it.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from dilemmas.models import Dilemma, DilemmaStatus, Follow, HelpfulMark, Reply
from komvidere.models import PlanStage, Sector, Theme

SILKEBORG = "planner@silkeborg.dk"
MODERATOR = "coordinator@rm.dk"
AARHUS = "klima@aarhus.dk"
SAMSOE = "energi@samsoe.dk"
HERNING = "klima@herning.dk"
VIBORG = "klima@viborg.dk"
RANDERS = "klima@randers.dk"
SKIVE = "klima@skive.dk"
HORSENS = "klima@horsens.dk"

# Each: title, kind, author, days ago, sectors, themes, plan stage, tags, body, replies
# [(author, text)], accepted reply index or None, conclusion or "", anonymous.
DILEMMAS = [
    {
        "title": "Hvordan inddrager vi borgerne, før vi udpeger arealer til vindmøller?",
        "kind": "dilemma",
        "author": SILKEBORG,
        "days": 21,
        "sectors": ["energi", "arealanvendelse"],
        "themes": ["borgerinddragelse"],
        "stage": "maal-og-handlinger",
        "tags": ["vindmøller", "VE-planlægning", "borgermøder"],
        "body": (
            "Byrådet har besluttet, at vi skal udpege mindst tre nye områder til vindmøller "
            "inden 2027. Sidste gang endte det med 400 indsigelser og en sag i Planklagenævnet.\n\n"
            "Vi vil gerne inddrage borgerne **før** vi tegner streger på kortet, men er bange for "
            "at skabe forventninger, vi ikke kan indfri. Hvordan har I grebet det an?"
        ),
        "replies": [
            (
                SAMSOE,
                "Vi startede med åbne 'kaffemøder' i hver landsby uden kort – kun med spørgsmålet "
                "*hvad skal der til, for at I kan se en fordel?* Det gav os lokale ønsker om "
                "ejerskab og en grøn pulje, som vi siden har brugt aktivt. Og vær ærlig om, hvad "
                "der ligger fast (statens afstandskrav) og hvad borgerne reelt kan påvirke.",
            ),
            (
                AARHUS,
                "Et borgerpanel med lodtrukne deltagere virkede godt for os. Panelet lavede "
                "kriterier for placering, som byrådet derefter brugte. Det tager ca. fire måneder.",
            ),
            (
                HERNING,
                "Husk naboerne tættest på: vi holdt individuelle samtaler med alle inden for "
                "1,5 km, før noget blev offentligt. Det dæmpede rygterne meget.",
            ),
        ],
        "accepted": 0,
        "conclusion": (
            "Vi gør tre ting: åbne møder i lokalsamfundene uden kort først, et lodtrukket "
            "borgerpanel der foreslår kriterier, og individuelle samtaler med de nærmeste naboer, "
            "før forslag bliver offentlige. Og vi er tydelige om, hvad der ligger fast."
        ),
        "anonymous": False,
    },
    {
        "title": "Hvordan opgør vi scope 3-udledninger fra kommunens indkøb?",
        "kind": "question",
        "author": RANDERS,
        "days": 18,
        "sectors": ["forbrug-og-foedevarer", "tvaergaaende"],
        "themes": ["scope-3-og-forbrug", "data-og-opfoelgning"],
        "stage": "kortlaegning",
        "tags": ["scope 3", "indkøb", "klimaregnskab"],
        "body": (
            "Vi skal have indkøb med i klimaregnskabet. Vi har fakturadata fordelt på "
            "UNSPSC-koder, men ingen mængder. Er der nogen, der har brugt spend-baserede "
            "emissionsfaktorer, og hvilke?"
        ),
        "replies": [
            (
                AARHUS,
                "Vi bruger de spend-baserede faktorer fra Klimakompasset/CONCITO som første "
                "skridt, og går over til mængdedata for de 10 største kategorier (fødevarer, "
                "byggeri, it). Spend-tal er fine til at prioritere, men dårlige til at følge "
                "effekten af indsatser.",
            ),
            (
                HORSENS,
                "Pas på inflationen: hvis I bruger kroner, stiger udledningen hvert år, selv om "
                "I køber det samme. Vi deflaterer til et basisår.",
            ),
        ],
        "accepted": 0,
        "conclusion": "",
        "anonymous": False,
    },
    {
        "title": "Hvordan forankrer vi klimaplanen på tværs af forvaltningerne?",
        "kind": "challenge",
        "author": HORSENS,
        "days": 30,
        "sectors": ["tvaergaaende"],
        "themes": ["organisatorisk-forankring", "politisk-forankring"],
        "stage": "forankring-og-samarbejde",
        "tags": ["forankring", "DK2020", "tværgående samarbejde"],
        "body": (
            "Klimaplanen er vedtaget, men den bor i Teknik og Miljø. Børn og Unge og "
            "Sundhed og Omsorg ser den som 'vores' plan. Hvordan får I de andre "
            "forvaltninger til at tage ejerskab for handlinger?"
        ),
        "replies": [
            (
                SILKEBORG,
                "Vi fik direktionen til at udpege en klimaansvarlig chef i hver forvaltning, og "
                "handlingerne står nu i forvaltningernes egne virksomhedsplaner.",
            ),
            (
                MODERATOR,
                "I regionens netværk ser vi, at det virker bedst, når klimamål indgår i "
                "budgetprocessen. Så bliver det en del af det, alle i forvaltningen arbejder med.",
            ),
            (
                VIBORG,
                "Små konkrete fælles projekter (f.eks. klimavenlige madordninger i "
                "daginstitutioner) "
                "skabte mere ejerskab hos os end store workshops.",
            ),
        ],
        "accepted": None,
        "conclusion": (
            "Der er ikke ét svar. Det, der har virket hos kolleger: en klimaansvarlig chef i hver "
            "forvaltning, handlinger skrevet ind i forvaltningernes egne planer og i budgettet, "
            "og små fælles projekter, der giver synlige resultater tidligt."
        ),
        "anonymous": False,
    },
    {
        "title": "Politikerne vil sænke ambitionen for transport – hvordan håndterer vi det?",
        "kind": "dilemma",
        "author": VIBORG,
        "days": 9,
        "sectors": ["transport"],
        "themes": ["politisk-forankring"],
        "stage": "revision-og-recertificering",
        "tags": ["transport", "DK2020", "målsætning"],
        "body": (
            "Ved revisionen af klimaplanen vil et flertal i udvalget sænke reduktionsmålet for "
            "transport, fordi det 'ikke er realistisk i et landdistrikt'. Som embedsfolk skal vi "
            "rådgive fagligt, men vi vil heller ikke miste den politiske opbakning. Hvad gør I?"
        ),
        "replies": [
            (
                HERNING,
                "Vi lavede et scenarie-notat med tre niveauer og konsekvenserne for de andre "
                "sektorer. Når det blev tydeligt, at landbruget så skulle levere mere, ændrede "
                "diskussionen sig.",
            ),
        ],
        "accepted": None,
        "conclusion": "",
        "anonymous": True,
    },
    {
        "title": "Hvilke data bruger I til at følge op på klimatilpasningsindsatser?",
        "kind": "question",
        "author": VIBORG,
        "days": 14,
        "sectors": ["klimatilpasning"],
        "themes": ["data-og-opfoelgning"],
        "stage": "opfoelgning",
        "tags": ["klimatilpasning", "indikatorer", "skybrud"],
        "body": (
            "Til opfølgningen på klimaplanen mangler vi gode indikatorer for klimatilpasning. "
            "Antal m³ forsinkelsesvolumen siger ikke meget om risikoen. Hvad måler I på?"
        ),
        "replies": [
            (
                AARHUS,
                "Vi følger antal ejendomme i risikozoner (fra vores hydrauliske model) og "
                "forsikringsskader fra Forsikring & Pensions data. Det sidste er lettere at "
                "formidle politisk.",
            ),
            (
                RANDERS,
                "Vi bruger Klimatilpasningsværktøjet og opdaterer risikokortene hvert fjerde år.",
            ),
        ],
        "accepted": 0,
        "conclusion": "",
        "anonymous": False,
    },
    {
        "title": "Erfaringer med krav til klimavenligt byggeri i lokalplaner?",
        "kind": "question",
        "author": AARHUS,
        "days": 7,
        "sectors": ["bygninger", "arealanvendelse"],
        "themes": ["samarbejde-med-erhvervsliv"],
        "stage": "implementering",
        "tags": ["byggeri", "lokalplaner", "LCA"],
        "body": (
            "Kan vi stille krav om lav CO2-udledning (LCA) i lokalplaner, eller skal det ske via "
            "salgsbetingelser på kommunens egne grunde? Hvad har I fået juridisk grønt lys til?"
        ),
        "replies": [
            (
                SKIVE,
                "Vi bruger salgsbetingelser for kommunale grunde – lokalplaner kan ikke regulere "
                "materialevalg på den måde. Bygningsreglementets LCA-krav er gulvet.",
            ),
        ],
        "accepted": None,
        "conclusion": "",
        "anonymous": False,
    },
    {
        "title": "Hvordan får vi landbruget med i klimaplanen uden at miste tilliden?",
        "kind": "challenge",
        "author": HERNING,
        "days": 25,
        "sectors": ["landbrug"],
        "themes": ["samarbejde-med-erhvervsliv", "borgerinddragelse"],
        "stage": "maal-og-handlinger",
        "tags": ["landbrug", "dialog", "lavbundsjorde"],
        "body": (
            "Landbruget står for over halvdelen af udledningen i kommunen. Landboforeningen vil "
            "gerne samarbejde, men er skeptisk over for kommunale mål. Hvordan har I bygget et "
            "samarbejde op?"
        ),
        "replies": [
            (
                SKIVE,
                "Vi lavede en fælles klimarådgiverstilling med landboforeningen, finansieret "
                "halvt af hver. Rådgiveren laver klimatjek på bedrifterne.",
            ),
            (
                VIBORG,
                "Start med lavbundsjorde: der er statslige tilskud, og det giver hurtige, "
                "konkrete resultater, som begge parter kan stå på mål for.",
            ),
            (
                SAMSOE,
                "Inviter landmændene til at være med til at skrive handlingerne – ikke bare "
                "høre dem bagefter.",
            ),
        ],
        "accepted": 0,
        "conclusion": "",
        "anonymous": False,
    },
    {
        "title": "Elbiler i den kommunale flåde: lease eller køb?",
        "kind": "question",
        "author": RANDERS,
        "days": 5,
        "sectors": ["transport"],
        "themes": ["finansiering"],
        "stage": "implementering",
        "tags": ["elbiler", "flåde", "indkøb"],
        "body": "Vi skal udskifte 120 biler i hjemmeplejen. Har I erfaringer med lease vs. køb?",
        "replies": [
            (
                HORSENS,
                "Vi leaser via SKI-aftalen. Restværdirisikoen var det afgørende argument.",
            ),
            (
                SILKEBORG,
                "Vi købte og sparede ca. 15 % over seks år, men har selv risikoen for "
                "batterierne. Husk ladeinfrastruktur ved matriklerne – den tog længst tid.",
            ),
        ],
        "accepted": 1,
        "conclusion": "",
        "anonymous": False,
    },
    {
        "title": "Hvordan kommunikerer vi klimaregnskabet, så borgerne forstår det?",
        "kind": "question",
        "author": SILKEBORG,
        "days": 3,
        "sectors": ["tvaergaaende"],
        "themes": ["borgerinddragelse", "data-og-opfoelgning"],
        "stage": "opfoelgning",
        "tags": ["formidling", "klimaregnskab"],
        "body": (
            "Vores klimaregnskab er 40 sider med tabeller. Hvordan formidler I det til borgere "
            "og lokalpresse?"
        ),
        "replies": [],
        "accepted": None,
        "conclusion": "",
        "anonymous": False,
    },
    {
        "title": "Fjernvarme i landsbyer: hvem tager initiativet?",
        "kind": "dilemma",
        "author": SAMSOE,
        "days": 12,
        "sectors": ["energi", "bygninger"],
        "themes": ["borgerinddragelse", "finansiering"],
        "stage": "implementering",
        "tags": ["fjernvarme", "varmeplan", "landsbyer"],
        "body": (
            "Flere landsbyer vil væk fra oliefyr og gas, men forsyningen vil ikke tage risikoen "
            "ved små net. Skal kommunen stille lånegaranti, eller skal borgerne selv stifte et "
            "andelsselskab?"
        ),
        "replies": [
            (
                HERNING,
                "Vi har stillet kommunegaranti for to små andelsværker. Det kræver en solid "
                "projektforslag efter varmeforsyningsloven, men det lykkedes.",
            ),
            (
                SKIVE,
                "Vi hjalp med en 'landsbypulje' til forundersøgelser – det var nok til at "
                "få borgerne i gang selv.",
            ),
        ],
        "accepted": None,
        "conclusion": (
            "Begge veje kan fungere: kommunal lånegaranti til andelsselskaber, når projektet er "
            "godkendt, og en lille pulje til forundersøgelser, så borgerne selv kan tage "
            "initiativet."
        ),
        "anonymous": False,
    },
    {
        "title": "Hvordan sætter vi mål for madspild i kommunale køkkener?",
        "kind": "question",
        "author": HORSENS,
        "days": 16,
        "sectors": ["forbrug-og-foedevarer", "affald-og-spildevand"],
        "themes": ["scope-3-og-forbrug"],
        "stage": "maal-og-handlinger",
        "tags": ["madspild", "køkkener", "scope 3"],
        "body": "Vi vil halvere madspildet i vores produktionskøkkener. Hvordan måler I det?",
        "replies": [
            (
                RANDERS,
                "Vi vejer i to uger hvert halve år (tallerkenspild, produktionsspild, "
                "overproduktion hver for sig). Det er nok til at se udviklingen.",
            ),
        ],
        "accepted": 0,
        "conclusion": "",
        "anonymous": False,
    },
    {
        "title": "Solceller på kommunale tage: egen drift eller udlejning af tagflader?",
        "kind": "question",
        "author": SKIVE,
        "days": 10,
        "sectors": ["energi", "bygninger"],
        "themes": ["finansiering"],
        "stage": "implementering",
        "tags": ["solceller", "kommunale bygninger"],
        "body": (
            "Kommunalfuldmagten sætter grænser for, hvor meget strøm vi må producere. Har nogen "
            "udlejet tagflader til et energiselskab eller et borgerejet selskab?"
        ),
        "replies": [],
        "accepted": None,
        "conclusion": "",
        "anonymous": False,
    },
    {
        "title": "Hvordan får vi medarbejderne til at cykle mere til arbejde?",
        "kind": "question",
        "author": AARHUS,
        "days": 2,
        "sectors": ["transport"],
        "themes": ["organisatorisk-forankring"],
        "stage": "implementering",
        "tags": ["cykling", "medarbejdere", "transportvaner"],
        "body": "Vi vil gerne reducere pendling i bil blandt kommunens 25.000 ansatte. Ideer?",
        "replies": [
            (
                VIBORG,
                "Vi deltog i 'Vi cykler til arbejde' med konkurrence mellem afdelingerne og fik "
                "omklædningsrum med bad på de største arbejdspladser.",
            ),
        ],
        "accepted": None,
        "conclusion": "",
        "anonymous": False,
    },
    {
        "title": "Hvad gør vi med klimakrav, der spænder ben for billigste tilbud?",
        "kind": "dilemma",
        "author": RANDERS,
        "days": 20,
        "sectors": ["tvaergaaende"],
        "themes": ["scope-3-og-forbrug", "samarbejde-med-erhvervsliv"],
        "stage": "implementering",
        "tags": ["udbud", "indkøb", "klimakrav"],
        "body": (
            "Indkøb siger, at klimakrav i udbud gør det dyrere, og budgetterne er stramme. Hvordan "
            "har I prioriteret, hvor klimakrav giver mest for pengene?"
        ),
        "replies": [
            (
                AARHUS,
                "Vi lavede en 'hotspot'-analyse: byggeri, fødevarer og transporttjenester står "
                "for 70 % af indkøbets udledning. Vi stiller kun skærpede krav dér.",
            ),
            (
                HORSENS,
                "Brug totalomkostninger (TCO) i evalueringen – elbusser og LED vinder ofte "
                "alligevel.",
            ),
        ],
        "accepted": 0,
        "conclusion": "",
        "anonymous": False,
    },
    {
        "title": "Skal kommunen have et lokalt klimaråd med borgere og virksomheder?",
        "kind": "question",
        "author": SILKEBORG,
        "days": 1,
        "sectors": ["tvaergaaende"],
        "themes": ["borgerinddragelse", "politisk-forankring"],
        "stage": "forankring-og-samarbejde",
        "tags": ["klimaråd", "borgerinddragelse"],
        "body": (
            "Vi overvejer et klimaråd med repræsentanter for borgere, erhverv og foreninger. "
            "Hvilke erfaringer har I med mandat og sammensætning?"
        ),
        "replies": [],
        "accepted": None,
        "conclusion": "",
        "anonymous": False,
    },
    {
        "title": "Hvordan håndterer vi skybrudsprojekter, der kræver private grundejeres jord?",
        "kind": "challenge",
        "author": VIBORG,
        "days": 28,
        "sectors": ["klimatilpasning"],
        "themes": ["borgerinddragelse", "finansiering"],
        "stage": "implementering",
        "tags": ["skybrud", "grundejere", "medfinansiering"],
        "body": (
            "Vores skybrudsløsning kræver et regnvandsbassin på privat landbrugsjord. Ejeren vil "
            "ikke sælge. Ekspropriation vil vi helst undgå."
        ),
        "replies": [
            (
                AARHUS,
                "Vi tilbød jordfordeling i samarbejde med Landbrugsstyrelsen. Ejeren fik et "
                "bedre stykke jord et andet sted, og vi fik arealet.",
            ),
            (
                HERNING,
                "Servitut med årlig kompensation i stedet for køb var løsningen hos os.",
            ),
        ],
        "accepted": 0,
        "conclusion": "",
        "anonymous": False,
    },
]


def seed(users: dict[str, User]) -> None:
    now = timezone.now()
    sectors = {s.slug: s for s in Sector.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    stages = {s.slug: s for s in PlanStage.objects.all()}
    for item in DILEMMAS:
        author = users.get(item["author"])
        if author is None or Dilemma.objects.filter(title=item["title"]).exists():
            continue
        asked_at = now - timedelta(days=item["days"], hours=3)
        dilemma = Dilemma.objects.create(
            kind=item["kind"],
            title=item["title"],
            body=item["body"],
            author=author,
            organisation=author.organisation,
            anonymous=item["anonymous"],
            plan_stage=stages.get(item["stage"]),
        )
        dilemma.sectors.set([sectors[s] for s in item["sectors"] if s in sectors])
        dilemma.themes.set([themes[t] for t in item["themes"] if t in themes])
        dilemma.tags.set(item["tags"])
        Follow.objects.get_or_create(user=author, dilemma=dilemma)

        replies = []
        for position, (email, text) in enumerate(item["replies"], start=1):
            replier = users.get(email)
            if replier is None:
                continue
            reply = Reply.objects.create(dilemma=dilemma, author=replier, body=text)
            Reply.objects.filter(pk=reply.pk).update(
                created_at=asked_at + timedelta(hours=5 * position)
            )
            Follow.objects.get_or_create(user=replier, dilemma=dilemma)
            replies.append(reply)
        # A few helpful marks from the asker and a colleague.
        for reply in replies[:2]:
            for marker in (author, users.get(HORSENS)):
                if marker is not None and marker.pk != reply.author_id:
                    HelpfulMark.objects.get_or_create(reply=reply, user=marker)

        last_activity = asked_at + timedelta(hours=5 * len(replies))
        updates = {
            "created_at": asked_at,
            "last_activity_at": last_activity,
            "reply_count": len(replies),
        }
        if item["accepted"] is not None and item["accepted"] < len(replies):
            updates["accepted_reply"] = replies[item["accepted"]]
            updates["status"] = DilemmaStatus.ANSWERED
        if item["conclusion"]:
            updates.update(
                conclusion=item["conclusion"],
                status=DilemmaStatus.CONCLUDED,
                concluded_by=author,
                concluded_at=last_activity + timedelta(hours=2),
                last_activity_at=last_activity + timedelta(hours=2),
            )
        Dilemma.objects.filter(pk=dilemma.pk).update(**updates)
