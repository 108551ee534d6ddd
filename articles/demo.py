"""Demo knowledge articles for local runs (seed_demo). Idempotent: an article whose slug exists
is left alone.

Written through the services by the demo moderator, then published (all but one draft) with
publication dates spread over the past months so that "newest" sorting shows something.
The media addresses of the podcast and video are well-formed placeholders: replace them with
the real episodes before a demonstration that plays them.
"""

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from articles import services
from articles.models import Article, ArticleKind
from komvidere import search
from komvidere.models import PlanStage, Sector, Theme

MODERATOR = "coordinator@rm.dk"

ARTICLES = [
    {
        "slug": "saadan-laver-i-et-co2-regnskab-for-kommunen-sektor-for-sektor",
        "title": "Sådan laver I et CO2-regnskab for kommunen sektor for sektor",
        "kind": ArticleKind.GUIDE,
        "source_organisation": "Energistyrelsen",
        "external_url": "https://ens.dk/",
        "summary": (
            "En trin-for-trin-guide til at bruge Energi- og CO2-regnskabet som grundlag for "
            "kommunens klimaplan: hvilke sektorer regnskabet dækker, hvor data kommer fra, og "
            "hvordan I supplerer med egne tal for landbrug og transport."
        ),
        "body": (
            "## Hvorfor et regnskab sektor for sektor\n\n"
            "DK2020-planerne kræver en basislinje for hele kommunen som geografisk område. "
            "Energi- og CO2-regnskabet giver et fælles udgangspunkt, så kommunerne kan "
            "sammenligne sig med hinanden.\n\n"
            "## Trin for trin\n\n"
            "1. Hent kommunens regnskab og gennemgå fordelingen på **energi, transport, "
            "landbrug, affald og industri**.\n"
            "2. Tjek de lokale data: fjernvarmeværkernes brændselsforbrug, biogasanlæg og "
            "store virksomheder.\n"
            "3. Suppler landbrugets udledninger med tal for husdyr og kulstofrige lavbundsjorde.\n"
            "4. Beskriv usikkerheder åbent i planen, og aftal hvem der opdaterer regnskabet "
            "hvert år.\n\n"
            "> Tip: Gem jeres beregningsark sammen med en kort metodebeskrivelse, så en ny "
            "medarbejder kan gentage opgørelsen."
        ),
        "sectors": ["energi", "transport", "landbrug", "tvaergaaende"],
        "themes": ["data-og-opfoelgning"],
        "stage": "kortlaegning",
        "tags": ["co2-regnskab", "basislinje", "energi- og co2-regnskabet"],
        "days_ago": 120,
    },
    {
        "slug": "borgerinddragelse-efter-samsoe-modellen",
        "title": "Borgerinddragelse efter Samsø-modellen",
        "kind": ArticleKind.METHOD,
        "source_organisation": "Samsø Energiakademi",
        "external_url": "https://energiakademiet.dk/",
        "summary": (
            "Samsø blev selvforsynende med vedvarende energi, fordi øboerne selv ejede "
            "vindmøllerne. Metoden beskriver møderne, ejerskabsmodellerne og de lokale "
            "ildsjæle, og hvordan andre kommuner kan bruge dem."
        ),
        "body": (
            "## Kernen i metoden\n\n"
            "- **Tidlig dialog**: borgermøder i landsbyerne, før der tegnes på kort.\n"
            "- **Lokalt ejerskab**: andele i vindmøller og fjernvarme til dem, der bor tæt på.\n"
            "- **Synlige ildsjæle**: en energirådgiver, som folk kender, i stedet for en "
            "anonym forvaltning.\n\n"
            "## Sådan kommer I i gang\n\n"
            "Start med ét konkret projekt, fx et solcelleanlæg på skolen, og invitér "
            "lokalrådet til at være medejer af processen."
        ),
        "sectors": ["energi", "tvaergaaende"],
        "themes": ["borgerinddragelse", "samarbejde-med-erhvervsliv"],
        "stage": "forankring-og-samarbejde",
        "tags": ["samsø", "borgerinddragelse", "vindmøller", "lokalt ejerskab"],
        "days_ago": 95,
    },
    {
        "slug": "perspektiver-fra-midtjyske-kommuner-paa-klimaplanlaegning-episode-1",
        "title": (
            "Podcast: Perspektiver fra midtjyske kommuner på klimaplanlægning, "
            "afsnit 1 – Fra plan til handling"
        ),
        "kind": ArticleKind.PODCAST,
        "source_organisation": "Region Midtjylland",
        "external_url": "https://www.rm.dk/",
        "media_url": "https://open.spotify.com/episode/4rOoJ6Egrf8K2IrywzwOMk",
        "summary": (
            "Klimakoordinatorer fra Silkeborg, Skive og Horsens fortæller, hvordan de har "
            "forankret DK2020-planen i den daglige drift, og hvad de ville gøre anderledes "
            "i dag."
        ),
        "body": (
            "I første afsnit af podcasten *Perspectives from Central Denmark municipalities on "
            "climate planning* taler vi om overgangen fra vedtaget plan til konkrete "
            "handlinger.\n\n"
            "**I afsnittet:**\n\n"
            "- Hvordan man får fagforvaltningerne til at eje deres del af planen\n"
            "- Klimabudget som styringsredskab\n"
            "- Når politikerne skifter: genforankring efter et kommunalvalg"
        ),
        "sectors": ["tvaergaaende"],
        "themes": ["organisatorisk-forankring", "politisk-forankring"],
        "stage": "implementering",
        "tags": ["podcast", "dk2020", "forankring"],
        "days_ago": 20,
    },
    {
        "slug": "guide-til-dk2020-recertificering",
        "title": "Guide til recertificering af jeres DK2020-klimaplan",
        "kind": ArticleKind.GUIDE,
        "source_organisation": "KL",
        "external_url": "https://www.kl.dk/",
        "summary": (
            "Hvad kræver det at få klimaplanen genbehandlet efter C40's Climate Action "
            "Planning Framework? Tjekliste over krav, typiske mangler og en realistisk "
            "tidsplan for revisionen."
        ),
        "body": (
            "## Tjekliste\n\n"
            "| Krav | Typisk mangel |\n"
            "| --- | --- |\n"
            "| Opdateret basislinje | Gamle tal for landbrug |\n"
            "| Delmål for 2030 | Mål uden ansvarlig forvaltning |\n"
            "| Klimatilpasning | Manglende risikokortlægning |\n"
            "| Inddragelse | Ingen dokumentation af høringer |\n\n"
            "Sæt mindst seks måneder af til revisionen, og inddrag politikerne tidligt."
        ),
        "sectors": ["tvaergaaende", "klimatilpasning"],
        "themes": ["politisk-forankring", "data-og-opfoelgning"],
        "stage": "revision-og-recertificering",
        "tags": ["dk2020", "recertificering", "c40"],
        "days_ago": 60,
    },
    {
        "slug": "vaerktoej-kortlaegning-af-oversvoemmelsesrisiko",
        "title": "Værktøj: Kortlægning af oversvømmelsesrisiko med Klimatilpasning.dk",
        "kind": ArticleKind.TOOL,
        "source_organisation": "Klimatilpasning.dk",
        "external_url": "https://klimatilpasning.dk/",
        "summary": (
            "Kortværktøjerne viser havvandsstigning, skybrud og stigende grundvand for jeres "
            "kommune. Her er, hvordan I bruger dem i risikokortlægningen til klimaplanen."
        ),
        "body": (
            "Værktøjet samler data om **skybrud**, **stormflod** og **grundvand** i ét kort.\n\n"
            "## Brug det sådan\n\n"
            "1. Vælg klimascenarie og tidshorisont.\n"
            "2. Læg kommunens kritiske infrastruktur ind som eget lag.\n"
            "3. Eksportér kortene til risikokortlægningen og til borgermøder."
        ),
        "sectors": ["klimatilpasning"],
        "themes": ["data-og-opfoelgning"],
        "stage": "kortlaegning",
        "tags": ["klimatilpasning", "skybrud", "kortlægning", "grundvand"],
        "days_ago": 45,
    },
    {
        "slug": "rapport-scope-3-udledninger-fra-kommunens-indkoeb",
        "title": "Rapport: Scope 3-udledninger fra kommunens indkøb",
        "kind": ArticleKind.REPORT,
        "source_organisation": "CONCITO",
        "external_url": "https://concito.dk/",
        "summary": (
            "Op mod tre fjerdedele af en kommunes klimaaftryk kommer fra indkøb af varer og "
            "tjenester. Rapporten viser, hvordan man opgør scope 3 og prioriterer de største "
            "indkøbskategorier."
        ),
        "body": (
            "## Hovedpointer\n\n"
            "- Byggeri og anlæg, fødevarer og IT står for den største del af udledningerne.\n"
            "- Økonomisystemets kontoplan er et godt første skøn; leverandørdata gør det "
            "præcist.\n"
            "- Stil klimakrav i de store udbud først."
        ),
        "sectors": ["forbrug-og-foedevarer", "tvaergaaende"],
        "themes": ["scope-3-og-forbrug", "data-og-opfoelgning"],
        "stage": "kortlaegning",
        "tags": ["scope 3", "indkøb", "klimaaftryk"],
        "days_ago": 75,
    },
    {
        "slug": "video-varmeplanlaegning-naar-naturgassen-udfases",
        "title": "Video: Varmeplanlægning når naturgassen udfases",
        "kind": ArticleKind.VIDEO,
        "source_organisation": "Dansk Fjernvarme",
        "external_url": "https://www.danskfjernvarme.dk/",
        "media_url": "https://www.youtube.com/watch?v=aqz-KE-bpKQ",
        "summary": (
            "En 20 minutters gennemgang af, hvordan kommunen planlægger fjernvarme og "
            "individuelle varmepumper i områder, hvor naturgassen skal udfases."
        ),
        "body": (
            "Videoen gennemgår zoneinddeling, dialog med forsyningen og kommunikation til "
            "borgere med gasfyr."
        ),
        "sectors": ["energi", "bygninger"],
        "themes": ["borgerinddragelse"],
        "stage": "maal-og-handlinger",
        "tags": ["varmeplan", "fjernvarme", "varmepumper"],
        "days_ago": 30,
    },
    {
        "slug": "nyt-pulje-til-klimatilpasning-i-landdistrikter",
        "title": "Nyt: Pulje til klimatilpasning i landdistrikter åbner for ansøgninger",
        "kind": ArticleKind.NEWS,
        "source_organisation": "Realdania",
        "external_url": "https://realdania.dk/",
        "summary": (
            "Kommuner og lokale foreninger kan søge støtte til projekter, der håndterer "
            "skybrud og vand i landsbyer. Ansøgningsfristen er om tre måneder."
        ),
        "body": "Puljen støtter både forundersøgelser og anlæg. Samarbejde med lokale "
        "foreninger vægtes højt.",
        "sectors": ["klimatilpasning"],
        "themes": ["finansiering", "borgerinddragelse"],
        "stage": "implementering",
        "tags": ["pulje", "klimatilpasning", "landdistrikter"],
        "days_ago": 5,
    },
    {
        "slug": "metode-klimabudget-som-styringsvaerktoej",
        "title": "Metode: Klimabudget som styringsværktøj",
        "kind": ArticleKind.METHOD,
        "source_organisation": "KL",
        "external_url": "https://www.kl.dk/",
        "summary": (
            "Et klimabudget sætter et loft over udledningerne år for år, ligesom det "
            "økonomiske budget. Metoden viser, hvordan budgettet kobles til "
            "budgetforhandlingerne."
        ),
        "body": (
            "## Tre greb\n\n"
            "1. Fordel reduktionsmålet på forvaltningerne.\n"
            "2. Rapportér status sammen med den økonomiske opfølgning.\n"
            "3. Lad afvigelser udløse konkrete handlinger."
        ),
        "sectors": ["tvaergaaende"],
        "themes": ["organisatorisk-forankring", "politisk-forankring"],
        "stage": "opfoelgning",
        "tags": ["klimabudget", "styring"],
        "days_ago": 150,
    },
    {
        "slug": "guide-biogas-og-landbrugets-klimaindsats",
        "title": "Guide: Dialog med landbruget om klimaindsatsen",
        "kind": ArticleKind.GUIDE,
        "source_organisation": "SEGES Innovation",
        "external_url": "https://www.seges.dk/",
        "summary": (
            "Landbruget er den største udleder i mange jyske kommuner. Guiden giver råd om "
            "dialogmøder, lavbundsprojekter og samarbejde om biogas."
        ),
        "body": (
            "Begynd med landmændenes egne interesser: økonomi i udtagning af lavbundsjorde "
            "og afsætning af gylle til biogas. Brug konsulenterne i de lokale "
            "landboforeninger som brobyggere."
        ),
        "sectors": ["landbrug", "arealanvendelse"],
        "themes": ["samarbejde-med-erhvervsliv"],
        "stage": "maal-og-handlinger",
        "tags": ["landbrug", "lavbund", "biogas"],
        "days_ago": 85,
    },
    {
        "slug": "vaerktoej-transportens-co2-beregner",
        "title": "Værktøj: Beregn effekten af grøn mobilitet i kommunen",
        "kind": ArticleKind.TOOL,
        "source_organisation": "Vejdirektoratet",
        "external_url": "https://www.vejdirektoratet.dk/",
        "summary": (
            "Et regneark, der anslår CO2-effekten af cykelstier, samkørsel og elbiler i den "
            "kommunale flåde, så I kan prioritere mellem transporttiltag."
        ),
        "body": "Indtast kommunens kørselsdata og vælg tiltag; værktøjet viser reduktionen "
        "i ton CO2e om året og en pris pr. ton.",
        "sectors": ["transport"],
        "themes": ["data-og-opfoelgning"],
        "stage": "maal-og-handlinger",
        "tags": ["transport", "elbiler", "cykelstier"],
        "days_ago": 110,
    },
    {
        "slug": "rapport-kompetencer-til-kommunernes-klimaarbejde",
        "title": "Rapport: Kompetencer til kommunernes klimaarbejde",
        "kind": ArticleKind.REPORT,
        "source_organisation": "Region Midtjylland",
        "external_url": "https://www.rm.dk/",
        "summary": (
            "En kortlægning af, hvilke kompetencer klimamedarbejderne i de midtjyske kommuner "
            "efterspørger, og forslag til fælles kurser i netværket."
        ),
        "body": "De mest efterspurgte emner er klimaregnskaber, scope 3 og facilitering af "
        "borgerinddragelse.",
        "sectors": ["tvaergaaende"],
        "themes": ["kompetenceudvikling"],
        "stage": "forankring-og-samarbejde",
        "tags": ["kompetenceudvikling", "netværk"],
        "days_ago": 200,
    },
    {
        "slug": "udkast-erfaringer-med-klimakrav-i-udbud",
        "title": "Erfaringer med klimakrav i bygge- og anlægsudbud",
        "kind": ArticleKind.GUIDE,
        "source_organisation": "Aarhus Kommune",
        "external_url": "https://www.aarhus.dk/",
        "summary": (
            "Et udkast: hvordan tre kommuner har stillet krav om klimaaftryk i udbud af "
            "byggeri og anlæg, og hvad leverandørerne sagde."
        ),
        "body": "Udkast til gennemsyn før publicering.",
        "sectors": ["bygninger", "forbrug-og-foedevarer"],
        "themes": ["scope-3-og-forbrug", "samarbejde-med-erhvervsliv"],
        "stage": "implementering",
        "tags": ["udbud", "scope 3", "byggeri"],
        "draft": True,
    },
]


def seed(users: dict[str, User]) -> None:
    author = users[MODERATOR]
    sectors = {s.slug: s for s in Sector.objects.all()}
    themes = {t.slug: t for t in Theme.objects.all()}
    stages = {p.slug: p for p in PlanStage.objects.all()}
    now = timezone.now()
    for spec in ARTICLES:
        if Article.objects.filter(slug=spec["slug"]).exists():
            continue
        article = services.article_create(
            author=author,
            title=spec["title"],
            kind=spec["kind"],
            summary=spec["summary"],
            body=spec["body"],
            source_organisation=spec.get("source_organisation", ""),
            external_url=spec.get("external_url", ""),
            media_url=spec.get("media_url", ""),
            sectors=[sectors[s] for s in spec["sectors"] if s in sectors],
            themes=[themes[t] for t in spec["themes"] if t in themes],
            plan_stage=stages.get(spec["stage"]),
            tags=spec["tags"],
        )
        # Demo slugs are fixed so that the seeder can recognise its own articles next time.
        Article.objects.filter(pk=article.pk).update(slug=spec["slug"])
        article.refresh_from_db()
        if spec.get("draft"):
            continue
        services.article_publish(article=article, user=author)
        published = now - timedelta(days=spec["days_ago"])
        Article.objects.filter(pk=article.pk).update(
            published_at=published, last_reviewed_at=published.date()
        )
        search.index(Article.objects.get(pk=article.pk))
