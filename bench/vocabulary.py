"""Vocabulary for the benchmark corpus: invented names and sentence templates.

Everything here was written for the benchmark. Templates are ``str.format``
strings whose slots (``{place}``, ``{person}``, ``{amount}`` ...) are filled
from one event's facts (see ``corpus.event_slots``), so every outlet covering an
event states the same facts in its own choice of wording.
"""

from __future__ import annotations

from dataclasses import dataclass


def words(block: str) -> tuple[str, ...]:
    """A tuple written as a block of space-separated words, for long readable lists."""
    return tuple(block.split())


def lines(block: str) -> tuple[str, ...]:
    """A tuple written one entry a line, blank lines ignored."""
    return tuple(line.strip() for line in block.strip().splitlines() if line.strip())


# --- names -------------------------------------------------------------------------

# Place names are a stem and an ending: 40 x 20 = 800 towns.
PLACE_STEMS = words(
    """
    Ash Bram Cal Dun Elm Fern Glen Hal Ivy Kes Lark Mar Nor Oak Pen Quen Ros Sel Thorn Ul
    Vell Wick Yar Brack Cor Dray Fal Gar Hollin Kil Lin Mor Ned Orr Pell Rath Stan Tam Wen Zel
    """
)
PLACE_ENDINGS = words(
    "ford bury haven mouth field wick stead bridge dale port moor ton brook cliff holm gate "
    "mere ley hurst well"
)
# District names are a stem and a kind: 36 x 14 = 504 neighbourhoods.
DISTRICT_STEMS = words(
    """
    Abbey Alder Anchor Barley Beacon Birch Bishop Brewer Cannon Castle Cedar Chapel Cherry
    Clover Copper Cross Deer Ferry Forge Fox Heron Hollow Kiln Lantern Linden Maple Market
    Miller Orchard Quarry Raven Rope Saddle Tanner Tinker Willow
    """
)
DISTRICT_KINDS = words(
    "Green Hill Docks Row Park Quarter Fields Heath End Gate Side Lane Wharf Rise"
)
FIRST_NAMES = words(
    """
    Ada Alvaro Amara Anton Beatrix Bruno Camille Dario Delia Elif Emeric Esther Felix Freya
    Gideon Greta Hamid Helena Ines Isak Jonas Juno Kasia Kofi Lena Linus Mara Marek Nadia
    Nils Odile Omar Pia Quentin Rhea Rolf Sabine Samir Talia Teodor Una Ulric Vera Viktor
    Wanda Wes Xenia Yusuf Zara Zeno Agnes Bram Cora Dmitri Edda Fabian Gwen Hugo Ilse Jasper
    """
)
SURNAMES = words(
    """
    Abernethy Albrecht Aldana Bassey Bellamy Brenner Calloway Castellan Dahlberg Delacroix
    Drummond Eastwick Ellery Falkner Farrow Ferreira Galloway Granger Haldane Hartigan Holm
    Iverson Jarrell Kavanagh Kessler Lachance Lindqvist Lowther Maddox Marchetti Mendel
    Moreau Nakamura Nyberg Okafor Ormsby Pacheco Pemberton Quaid Quist Radcliffe Renner
    Rosales Sandoval Sayer Sterling Strand Tamsin Thackeray Underhill Valdez Vance Varga
    Wainwright Whitlock Winslow Yardley Zamora Zeller Achterberg Brightwell Corrigan Dunmore
    Espinosa Fairweather Gundersen Holloway Ingram Jessup Kowalczyk Lancaster Mercer Novak
    Oyelaran Prentice Rasmussen Soto
    """
)
# More surnames from a stem and an ending: 40 x 25 = 1,000, so that two unrelated
# stories seldom quote people of the same name, as in real news.
SURNAME_STEMS = words(
    """
    Ash Black Bright Brook Cald Corr Dal Dun Elling Fair Fen Gal Gold Hart Hay Holl Ing Kell
    Kings Lang Lind Mar Mell Mor Nor Pem Pen Quar Rad Rook Sand Shaw Stan Stock Tal Thorn
    Under Wain Whit Wy
    """
)
SURNAME_ENDINGS = words(
    "ley ton wood field ford by well worth more ridge stone bury hill man croft dale wick "
    "berg sen son er ing holt mere ham"
)
COMPANY_STEMS = words(
    """
    Brightmoor Kestrel Halden Norvane Quillon Tavish Vantor Corrin Sable Ostrel Merrow Calyx
    Dunlow Everly Fenwick Graymar Hollis Juniper Larchmont Marlow Nettleford Pinecrest
    Redfern Silvan Tallis Umber Westmark Yarrow Ambrel Bexley
    """
)
COMPANY_KINDS = lines(
    """
    Energy
    Logistics
    Foods
    Robotics
    Textiles
    Pharmaceuticals
    Shipping
    Steel
    Software
    Homes
    Batteries
    Paper Mills
    """
)
ORGANISATION_KINDS = lines(
    """
    Health Trust
    Water Board
    Housing Association
    Chamber of Commerce
    Arts Council
    Transport Authority
    Schools Board
    Parks Trust
    """
)
ROLES = lines(
    """
    finance director
    council leader
    transport director
    planning officer
    deputy mayor
    county executive
    budget chair
    public works director
    """
)
MONTHS = words(
    "January February March April May June July August September October November December"
)
WEEKDAYS = words("Monday Tuesday Wednesday Thursday Friday Saturday Sunday")

# --- outlets and agencies ----------------------------------------------------------------

# Outlet names are a town and a masthead word: "The Ashford Courier".
MASTHEADS = words(
    """
    Courier Ledger Gazette Herald Tribune Post Chronicle Observer Journal Times Standard
    Dispatch Record Sentinel Examiner Review Bulletin Star Press Mercury
    """
)
# Invented agencies, named so that copy credits read as an agency's ("Agency",
# "News Service", an all-capitals acronym).
AGENCIES = (
    ("Meridian News Service", "MNS"),
    ("Northern Press Agency", "NPA"),
    ("Coastal Wire", "CWR"),
)
ZONES = (
    ("GMT", 0.0),
    ("UTC", 0.0),
    ("CET", 1.0),
    ("BST", 1.0),
    ("EST", -5.0),
    ("EDT", -4.0),
    ("PST", -8.0),
    ("IST", 5.5),
    ("JST", 9.0),
    ("AEDT", 11.0),
)

# --- topics ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Topic:
    """One kind of event and the ways an outlet may word each of its facts."""

    key: str
    headlines: tuple[str, ...]
    leads: tuple[str, ...]
    facts: tuple[tuple[str, ...], ...]
    quotes: tuple[str, ...]
    choices: tuple[tuple[str, tuple[str, ...]], ...] = ()


TOPICS = (
    Topic(
        key="budget",
        headlines=lines(
            """
            {place} council approves ${amount} million {thing} budget
            {place} passes bigger {thing} budget in {votes_for}-{votes_against} vote
            Council backs ${amount}m plan for {place} {thing}
            {place} {thing} budget clears council after long hearing
            """
        ),
        leads=lines(
            """
            The {place} City Council on {weekday} approved a ${amount} million {thing} budget for {next_year}, voting {votes_for}-{votes_against} after a public hearing that ran late into the evening.
            Councillors in {place} voted {votes_for} to {votes_against} on {weekday} to pass a ${amount} million spending plan for {thing}, the largest in the city's history.
            {place} will spend ${amount} million on {thing} next year after the city council narrowly backed the plan on {weekday}.
            """  # noqa: E501
        ),
        facts=(
            lines(
                """
                The plan is {percent} percent larger than this year's and adds {count} jobs over two years.
                Spending rises by {percent} percent on the current year, and the city expects to hire {count} more staff.
                At {percent} percent above last year's figure, the budget funds {count} new posts.
                """  # noqa: E501
            ),
            lines(
                """
                {person}, the city's {role}, said most of the increase would be covered by a state grant.
                According to {role} {person}, a state grant pays for the bulk of the new spending.
                A state grant will meet most of the extra cost, {role} {person} told the council.
                """  # noqa: E501
            ),
            lines(
                """
                Council members including {person2} voted against, saying the city could not afford it.
                {person2} led the opposition, arguing that {district} residents would pay more in fees.
                Opponents led by {person2} warned that the plan leaned on one-off money.
                """  # noqa: E501
            ),
            lines(
                """
                The council will return to the question of fees at a special session in {month}.
                A separate vote on fees was put off until {month}.
                Fees were left for another meeting, expected in {month}.
                """
            ),
        ),
        quotes=lines(
            """
            This is the first budget in years that grows the service instead of cutting it
            We listened to the people of {district} and this plan answers them
            Nobody should pretend this money comes without a cost
            The numbers hold up, and the grant makes the difference
            """
        ),
        choices=(("thing", words("transit school road library parks housing")),),
    ),
    Topic(
        key="strike",
        headlines=lines(
            """
            {company} workers walk out over pay
            Strike halts work at {company} in {place}
            {count} {workers} strike at {company} after talks fail
            Pay dispute: {company} staff stop work for {hours} hours
            """
        ),
        leads=lines(
            """
            About {count} {workers} at {company} in {place} walked off the job on {weekday}, starting a {hours}-hour strike over pay.
            A {hours}-hour strike by {workers} at {company} began on {weekday} in {place} after talks between the union and management broke down.
            Work stopped at {company} in {place} on {weekday} as about {count} {workers} began a {hours}-hour strike over wages.
            """  # noqa: E501
        ),
        facts=(
            lines(
                """
                The union is asking for a rise of {percent} percent a year; the company has offered less than half of that.
                {company} has offered about half of the {percent} percent annual rise the union wants.
                Pay talks stalled over the union's demand for {percent} percent a year.
                """  # noqa: E501
            ),
            lines(
                """
                {person}, president of the union local, said members had run out of patience.
                Union leader {person} said the vote to strike was close to unanimous.
                The walkout was called after a ballot, union president {person} said.
                """
            ),
            lines(
                """
                A company spokesperson, {person2}, said the offer was fair and that no new talks were planned.
                {person2}, speaking for {company}, called the strike regrettable.
                Management said through {person2} that it would not reopen the offer.
                """  # noqa: E501
            ),
            lines(
                """
                The previous contract expired in {month_past}.
                Workers have been without a contract since {month_past}.
                The last agreement ran out in {month_past}.
                """
            ),
        ),
        quotes=lines(
            """
            Our members have kept this place running on wages that no longer cover the rent
            We regret the disruption, but the offer on the table is fair
            Nobody wants to strike, but we were left with no choice
            The door is open whenever the company wants to talk seriously
            """
        ),
        choices=(
            (
                "workers",
                lines(
                    """
                    dock workers
                    bus drivers
                    warehouse staff
                    machine operators
                    cleaners
                    ferry crews
                    """
                ),
            ),
        ),
    ),
    Topic(
        key="flood",
        headlines=lines(
            """
            Flash flood swamps {district} in {place}
            Storm leaves {count} homes without power in {place}
            {place} cleans up after record rainfall
            Heavy rain floods streets across {place}
            """
        ),
        leads=lines(
            """
            A flash flood tore through the {district} district of {place} on {weekday}, forcing about {count} residents from their homes after {rain} millimetres of rain fell in a few hours.
            Torrential rain on {weekday} flooded streets and basements across {place}, with the worst damage in {district}.
            Emergency crews in {place} spent {weekday} pumping water from homes in {district} after the heaviest rain the town has recorded in {years} years.
            """  # noqa: E501
        ),
        facts=(
            lines(
                """
                {person}, the {place} fire chief, said no one had been seriously hurt.
                No serious injuries were reported, according to fire chief {person}.
                Fire chief {person} said crews had rescued several drivers from stranded cars.
                """
            ),
            lines(
                """
                Power was cut to {count} homes at the height of the storm.
                About {count} households lost power for part of the night.
                The storm knocked out electricity to some {count} properties.
                """
            ),
            lines(
                """
                The county has opened a relief centre at the {shelter}.
                Residents who left their homes were sheltered at the {shelter}.
                A temporary shelter was set up in the {shelter}.
                """
            ),
            lines(
                """
                Forecasters expect drier weather from {weekday_next}.
                More rain is forecast, but lighter, until the weekend.
                The weather service lifted its warning late in the evening.
                """
            ),
        ),
        quotes=lines(
            """
            The water came up faster than anyone could have believed
            I have lived on this street for {years} years and never seen it this high
            Our crews worked through the night and they are still out there
            We need drains that can cope with this kind of rain
            """
        ),
        choices=(
            (
                "shelter",
                lines(
                    """
                    community hall
                    high school gym
                    exhibition centre
                    leisure centre
                    """
                ),
            ),
        ),
    ),
    Topic(
        key="plant",
        headlines=lines(
            """
            {company} to build ${amount} million plant in {place}
            {place} lands {company} factory and {count} jobs
            {company} picks {place} for new {product} plant
            New {product} factory promises {count} jobs for {place}
            """
        ),
        leads=lines(
            """
            {company} said on {weekday} it would build a ${amount} million {product} plant on the edge of {place}, creating about {count} jobs when it opens in {next_year}.
            The {product} maker {company} has chosen {place} for a ${amount} million factory, the company announced on {weekday}.
            A ${amount} million {product} factory planned by {company} will bring {count} jobs to {place}, officials said on {weekday}.
            """  # noqa: E501
        ),
        facts=(
            lines(
                """
                Construction is due to start in {month}.
                Work on the site should begin in {month}, the company said.
                Building starts in {month} if permits are granted.
                """
            ),
            lines(
                """
                {person}, the company's chief executive, said the town's rail links had decided the choice.
                Chief executive {person} credited the local workforce and the rail connection.
                The site won because of its rail access, said chief executive {person}.
                """  # noqa: E501
            ),
            lines(
                """
                The state is contributing ${amount2} million in tax credits.
                Tax credits worth ${amount2} million helped seal the deal.
                Officials offered ${amount2} million in incentives.
                """
            ),
            lines(
                """
                Some residents of {district} have raised concerns about traffic.
                Neighbours in {district} worry about lorries on narrow roads.
                Traffic on the roads through {district} is expected to rise.
                """
            ),
        ),
        quotes=lines(
            """
            This is the biggest investment the town has seen in a generation
            We looked at {small} sites and this one was the clear winner
            Good jobs close to home change what young people here can hope for
            We will hold the company to every promise it has made
            """
        ),
        choices=(("product", words("battery solar-panel bicycle insulin cardboard turbine")),),
    ),
    Topic(
        key="court",
        headlines=lines(
            """
            Judge rules against {company} in {place} case
            {company} ordered to pay ${amount} million over {harm}
            Court finds {company} liable for {harm}
            {place} residents win case against {company}
            """
        ),
        leads=lines(
            """
            A judge in {place} on {weekday} ordered {company} to pay ${amount} million over {harm}, ending a case that began {years} years ago.
            {company} must pay ${amount} million for {harm}, a court in {place} ruled on {weekday}.
            The {place} district court found on {weekday} that {company} was responsible for {harm} and awarded ${amount} million in damages.
            """  # noqa: E501
        ),
        facts=(
            lines(
                """
                Judge {person} said the company had ignored repeated warnings.
                The ruling, by Judge {person}, criticised the company's record keeping.
                In a {small}-page decision, Judge {person} rejected the company's defence.
                """
            ),
            lines(
                """
                {company} said it would appeal.
                Lawyers for {company} said an appeal was likely.
                The company is weighing an appeal, a spokesperson said.
                """
            ),
            lines(
                """
                {person2}, who led the residents' group, called the verdict a relief.
                For {person2}, one of the plaintiffs, the ruling came after years of waiting.
                Plaintiff {person2} said the money would never make up for the damage.
                """
            ),
            lines(
                """
                The damages will be paid into a fund managed by the county.
                A county fund will hold and distribute the money.
                Payments are expected to begin in {month}.
                """
            ),
        ),
        quotes=lines(
            """
            We were told for years that nothing was wrong
            The court has seen the evidence and it speaks for itself
            We respect the court but we disagree with its reading of the facts
            This ruling should make every company in the region think again
            """
        ),
        choices=(
            (
                "harm",
                lines(
                    """
                    contaminating a river
                    a warehouse fire
                    unpaid overtime
                    a collapsed retaining wall
                    misleading customers
                    """
                ),
            ),
        ),
    ),
    Topic(
        key="resignation",
        headlines=lines(
            """
            {place} mayor {person} resigns
            Mayor of {place} steps down after {years} years
            {person} quits as {place} mayor, citing {reason}
            Surprise resignation leaves {place} without a mayor
            """
        ),
        leads=lines(
            """
            {person}, the mayor of {place}, resigned on {weekday}, citing {reason}.
            The mayor of {place}, {person}, announced on {weekday} a decision to step down, citing {reason}.
            {place} is looking for a new mayor after {person} quit on {weekday}, {years} years into the job.
            """  # noqa: E501
        ),
        facts=(
            lines(
                """
                Deputy mayor {person2} will lead the city until a special election in {month}.
                {person2}, the deputy mayor, takes over for now.
                Until a vote in {month}, {person2} will serve as acting mayor.
                """
            ),
            lines(
                """
                The resignation takes effect at the end of the month.
                The departure is effective in two weeks.
                The mayor will leave office on the last day of the month.
                """
            ),
            lines(
                """
                Council members praised the mayor's work on {thing}.
                Supporters pointed to progress on {thing}.
                Critics said little had been done about {thing}.
                """
            ),
            lines(
                """
                Turnout at the last election was {percent} percent.
                The last mayoral race was decided by {percent} percent of the vote.
                The mayor was re-elected with {percent} percent of the vote.
                """
            ),
        ),
        quotes=lines(
            """
            Serving this city has been the honour of my life
            I leave with the budget balanced and the streets safer
            The timing surprised all of us on the council
            Now the city needs a steady hand until the election
            """
        ),
        choices=(
            (
                "reason",
                lines(
                    """
                    health reasons
                    family reasons
                    a dispute with the council
                    a new post in the state government
                    """
                ),
            ),
            ("thing", lines("housing\nroad safety\nthe harbour\nschool buildings")),
        ),
    ),
    Topic(
        key="opening",
        headlines=lines(
            """
            New {facility} opens in {place}
            {place} {facility} opens its doors after {years}-year wait
            ${amount} million {facility} welcomes first visitors in {place}
            Doors open at {place}'s new {facility}
            """
        ),
        leads=lines(
            """
            The new ${amount} million {facility} in {place} opened on {weekday}, {years} years after it was first proposed.
            {place} opened its long-awaited {facility} on {weekday}, with {count} people visiting on the first day.
            After {years} years of planning and delays, the {facility} in {district} opened to the public on {weekday}.
            """  # noqa: E501
        ),
        facts=(
            lines(
                """
                {person}, who chairs the project board, said it had come in under budget.
                The project came in under budget, said board chair {person}.
                Board chair {person} thanked the builders for finishing early.
                """
            ),
            lines(
                """
                The building was designed by a local firm and uses solar panels for much of its power.
                Solar panels on the roof supply much of its electricity.
                Its design was chosen in a public competition.
                """  # noqa: E501
            ),
            lines(
                """
                Opening hours will be extended from {month}.
                Longer hours are planned from {month}.
                From {month} it will also open on Sundays.
                """
            ),
            lines(
                """
                It replaces a building in {district} that closed in {year_past}.
                The old site in {district} shut in {year_past}.
                Since {year_past}, residents had travelled to a neighbouring town.
                """
            ),
        ),
        quotes=lines(
            """
            It is a building the whole town can be proud of
            We kept the cost down without cutting corners
            The children who come here will not remember the wait
            There were days when we thought this would never happen
            """
        ),
        choices=(
            (
                "facility",
                lines(
                    """
                    heart centre
                    primary school
                    public library
                    swimming pool
                    community clinic
                    bus station
                    """
                ),
            ),
        ),
    ),
    Topic(
        key="fire",
        headlines=lines(
            """
            Fire destroys {building} in {place}
            Blaze guts {building} in {district}
            {small} crews battle {place} {building} fire
            Cause of {place} {building} fire under investigation
            """
        ),
        leads=lines(
            """
            Fire destroyed a {building} in the {district} area of {place} early on {weekday}, sending smoke across the town.
            More than {small} fire crews fought a blaze at a {building} in {place} on {weekday}.
            A {building} in the {district} district of {place} was gutted by fire on {weekday}, though no one was hurt.
            """  # noqa: E501
        ),
        facts=(
            lines(
                """
                The alarm was raised shortly after {hour} a.m.
                Neighbours called the fire service at about {hour} a.m.
                The first crews arrived just after {hour} a.m.
                """
            ),
            lines(
                """
                Fire chief {person} said the roof had collapsed within an hour.
                The roof fell in within the hour, according to fire chief {person}.
                {person}, the fire chief, said crews had stopped the fire spreading to nearby homes.
                """
            ),
            lines(
                """
                Investigators have not yet said what caused it.
                The cause is being investigated.
                Police said there was no sign of a crime, but inquiries continue.
                """
            ),
            lines(
                """
                The owner, {person2}, said the damage ran to ${amount} million.
                Damage was estimated at ${amount} million.
                Insurers put the loss at about ${amount} million.
                """
            ),
        ),
        quotes=lines(
            """
            The smoke was so thick you could not see across the road
            Our crews did everything they could to save the building
            This place has been part of {district} for as long as anyone remembers
            We will rebuild, but it will take time
            """
        ),
        choices=(
            (
                "building",
                lines("warehouse\ndisused mill\nsports hall\nfurniture store\nprinting works"),
            ),
        ),
    ),
    Topic(
        key="sport",
        headlines=lines(
            """
            {place} {team} win the {cup}
            {team} clinch {cup} in {place}
            Late goal hands {place} the {cup}
            {place} celebrates {cup} win
            """
        ),
        leads=lines(
            """
            The {place} {team} won the {cup} on {weekday}, beating {rival} {score} in front of {count} fans.
            A late goal gave the {place} {team} a {score} win over {rival} and the {cup} on {weekday}.
            {place} {team} are {cup} winners after a {score} victory against {rival} on {weekday}.
            """  # noqa: E501
        ),
        facts=(
            lines(
                """
                Coach {person} said the team had believed until the last minute.
                Head coach {person} praised the defence.
                It was the first title for coach {person}.
                """
            ),
            lines(
                """
                The winning goal was scored by {person2}.
                {person2} scored the decider.
                {person2} struck in stoppage time.
                """
            ),
            lines(
                """
                The club last won the competition in {year_past}.
                It is the club's first win in the competition since {year_past}.
                Their previous title came in {year_past}.
                """
            ),
            lines(
                """
                A parade is planned for {weekday_next}.
                The team will parade through {district} on {weekday_next}.
                Fans can meet the players at a celebration on {weekday_next}.
                """
            ),
        ),
        quotes=lines(
            """
            Nobody gave us a chance at the start of the season
            This one is for everyone who stood in the rain all year
            We made it hard for ourselves but the players never stopped
            I will remember this night for the rest of my life
            """
        ),
        choices=(
            ("team", words("Rovers United Athletic Wanderers Harriers Rangers")),
            ("cup", lines("county cup\nregional final\nleague title\nchampionship")),
            ("score", words("2-1 3-2 1-0 4-2 2-0")),
        ),
    ),
    Topic(
        key="research",
        headlines=lines(
            """
            {university} study links {factor} to {outcome}
            Researchers in {place} find {factor} tied to {outcome}
            {factor_cap} and {outcome}: what the {university} study found
            New study from {place} looks at {factor}
            """
        ),
        leads=lines(
            """
            People exposed to more {factor} reported {outcome}, according to a study from the {university} published on {weekday}.
            A study of {count} adults by researchers at the {university} has linked {factor} to {outcome}.
            Researchers at the {university} said on {weekday} that {factor} was associated with {outcome} in a sample of {count} people.
            """  # noqa: E501
        ),
        facts=(
            lines(
                """
                The lead author, Professor {person}, said the effect was modest but consistent.
                Professor {person}, who led the work, cautioned against drawing firm conclusions.
                Lead author {person} said more work was needed.
                """
            ),
            lines(
                """
                The study followed participants for {years} years.
                Participants were tracked over {years} years.
                Data were collected over {years} years.
                """
            ),
            lines(
                """
                It was funded by the {org}.
                Funding came from the {org}.
                The {org} paid for the research.
                """
            ),
            lines(
                """
                {person2}, who was not involved, called the findings interesting but limited.
                An outside expert, {person2}, said the sample was large enough to take seriously.
                Other researchers, including {person2}, urged caution.
                """
            ),
        ),
        quotes=lines(
            """
            The pattern held in every group we looked at
            This does not prove cause and effect, and we say so plainly
            Small changes in daily life may matter more than we assumed
            We hope other teams will try to repeat the result
            """
        ),
        choices=(
            (
                "factor",
                lines("night shifts\ngreen space\nscreen time\nlong commutes\nsugary drinks"),
            ),
            (
                "outcome",
                lines("poorer sleep\nbetter grades\nlower blood pressure\nmore sick days"),
            ),
        ),
    ),
    Topic(
        key="bridge",
        headlines=lines(
            """
            {bridge} bridge in {place} to close for repairs
            Drivers face detours as {place} shuts {bridge} bridge
            {place} closes {bridge} bridge for {weeks} weeks
            Repairs close busy {place} crossing
            """
        ),
        leads=lines(
            """
            The {bridge} bridge in {place} closed on {weekday} for {weeks} weeks of urgent repairs, the city said.
            {place} closed its {bridge} bridge on {weekday} after inspectors found cracks in its supports.
            Traffic was diverted around the {bridge} bridge in {place} on {weekday} as repairs costing ${amount} million began.
            """  # noqa: E501
        ),
        facts=(
            lines(
                """
                About {count} vehicles cross the bridge on a normal day.
                The bridge carries some {count} vehicles daily.
                Around {count} drivers use the crossing each day.
                """
            ),
            lines(
                """
                City engineer {person} said the work could not wait until spring.
                The repairs were urgent, engineer {person} said.
                {person}, the city engineer, said the bridge was still safe for pedestrians.
                """
            ),
            lines(
                """
                Buses will be rerouted through {district}.
                Bus routes are diverted via {district}.
                A shuttle will run from {district} while the bridge is closed.
                """
            ),
            lines(
                """
                The repairs cost ${amount} million.
                The bill is put at ${amount} million.
                Work is expected to cost ${amount} million.
                """
            ),
        ),
        quotes=lines(
            """
            We would rather close it now than wait for something worse
            Every day it stays shut costs the shops on this street
            The detour adds half an hour to my drive to work
            The inspectors did exactly what they are paid to do
            """
        ),
        choices=(
            ("bridge", lines("Old Mill\nStation Road\nQueens\nHarbour\nCanal Street\nNorth")),
        ),
    ),
    Topic(
        key="recovered",
        headlines=lines(
            """
            Stolen {artwork} found in {place}
            Police recover {artwork} taken from {museum}
            {artwork_cap} back at {museum} after {years} years
            Missing {artwork} turns up in {place} {hideout}
            """
        ),
        leads=lines(
            """
            Police in {place} said on {weekday} they had recovered a {artwork} stolen from the {museum} {years} years ago.
            A {artwork} taken from the {museum} in a night-time raid has been found in a {hideout} in {place}, police announced on {weekday}.
            The {museum} will get back its {artwork}, which police found on {weekday} in a {hideout}.
            """  # noqa: E501
        ),
        facts=(
            lines(
                """
                Detective {person} said a tip from the public had led officers to it.
                A call from a member of the public led to the find, detective {person} said.
                Detective {person} said the {artwork} was in good condition.
                """
            ),
            lines(
                """
                Museum director {person2} said it would go back on display in {month}.
                It should return to the gallery in {month}, director {person2} said.
                {person2}, the museum's director, called it a wonderful day.
                """
            ),
            lines(
                """
                Two people have been arrested.
                No arrests have been made.
                A man has been questioned and released.
                """
            ),
            lines(
                """
                The piece is insured for ${amount} million.
                Its value is put at ${amount} million.
                Experts value it at about ${amount} million.
                """
            ),
        ),
        quotes=lines(
            """
            We never stopped hoping it would come home
            Someone kept it carefully, which is the one blessing in all this
            The public made the difference in this case
            It will be back where it belongs before the holidays
            """
        ),
        choices=(
            (
                "artwork",
                lines("painting\nsilver chalice\nbronze statue\nmedieval manuscript\ntapestry"),
            ),
            ("hideout", lines("garage\nstorage unit\nattic\nantique shop")),
        ),
    ),
)

# --- background: the padding every outlet writes around the facts ------------------------

# A background sentence is a subject, a predicate and a tail: hundreds of combinations,
# each filled with the event's own names, so paragraphs rarely repeat word for word.
SUBJECTS = lines(
    """
    Residents of {district}
    Local business owners
    Officials at the {org}
    Opposition councillors
    Several parents who spoke to reporters
    Shopkeepers on the main street in {place}
    A spokesperson for the {org}
    Analysts who follow the region
    Members of the public at the meeting
    Neighbours in {district}
    Long-time residents of {place}
    A retired engineer who lives nearby
    The local chamber of commerce
    Volunteers from a community group in {district}
    Two former council members
    Commuters waiting at the station in {place}
    Teachers at a school in {district}
    A campaign group based in {rival}
    """
)
PREDICATES = lines(
    """
    said the issue had been discussed for {years} years without a decision
    warned that costs could rise by as much as {percent} percent
    welcomed the news but asked for more detail
    questioned whether the timetable was realistic
    pointed out that the last comparable project ran over budget
    said they had been kept informed at every stage
    complained that nobody had asked for their views
    expected the effects to be felt well into {next_year}
    recalled a similar episode in {year_past}
    said the area had grown by {percent} percent in a decade
    described the mood as cautiously hopeful
    argued that smaller towns were too often overlooked
    asked for a public meeting in {district}
    noted that {count} people had signed a petition on the matter
    said they would watch closely what happened next
    praised the speed of the response
    said the figures did not add up
    called for an independent review
    said the news had been the talk of {district} all week
    hoped the attention would bring more visitors to {place}
    """
)
TAILS = (
    "",
    "",
    "",
    " on {weekday}",
    " this week",
    ", according to people at the meeting",
    " in a written statement",
    " after the announcement",
    ", speaking outside the town hall",
    " when asked by reporters",
)
# Sentences that set the scene without a speaker.
CONTEXT = lines(
    """
    {place} has a population of about {population}.
    The {district} area has grown quickly since {year_past}.
    The decision comes as towns across the region face rising costs.
    Similar plans have been debated in {rival} and nearby towns.
    The {org} has faced questions over its spending in recent years.
    Figures published in {month_past} put unemployment in the area at {percent} percent.
    Local elections are due in {next_year}.
    The town's last large public project, a ring road, opened in {year_past}.
    {rival}, about {small} miles away, went through something similar in {year_past}.
    The matter is expected to come up again when the council meets in {month}.
    Records kept by the {org} go back more than {years} years.
    The nearest comparable town, {rival}, has roughly half the population.
    """
)
GENERIC_QUOTES = lines(
    """
    We have waited a long time for this
    It is not perfect, but it is a start
    People here deserve better than another delay
    I have not seen anything like it in {years} years
    We will keep asking questions until we get answers
    This matters to every family in {district}
    """
)
QUOTE_FORMS = (
    '"{quote}," {speaker} said.',
    '"{quote}," said {speaker}.',
    '{speaker} said: "{quote}."',
    '"{quote}," {speaker} told reporters.',
)

# --- a loose grammar for most background sentences -----------------------------------------

# A large lexicon combined freely, so unrelated articles share words but seldom
# whole phrases, as in real news. Every noun takes a plain "s" plural.
NOUNS = words(
    """
    account agency agreement airport allowance analyst apartment archive arena audit
    avenue bakery ballot bank barrier basin beacon benefit bicycle billboard board boat
    border branch budget builder bulletin bus cabin cafe campaign campus canal candidate
    canteen cargo carriage cellar centre chapel charity chart clinic coach coalition
    committee company complaint contract corridor cottage council counter court crane
    crew crossing customer cyclist dealer debate deficit delegate deposit depot designer
    developer district doctor donor driver election employer engine engineer estate
    exhibit factory fair farm farmer fee ferry festival field figure firm fleet footpath
    forecast foundation fund garage garden grant ground group guard guide harbour hall
    hearing hospital hostel household inquiry inspector investor island journal judge
    kitchen label landlord lane lawyer leader league lecture ledger license limit loan
    lorry manager market mayor meadow member merchant meter migrant minister model
    monument mortgage museum neighbour network nurse office official operator orchard
    owner painter parent parish park passenger pavement pension permit petition pharmacy
    pier pilot plan planner platform player plot policy pool port poster premium program
    project proposal quarry quay railway rally ranger rate reader record referee region
    regulator rent report reservoir resident retailer review rider road route salary
    sample schedule scheme school season sector seller sensor service session settlement
    shelter shipment shop shopper signal site skipper slope source speaker sponsor square
    squad stadium stall standard station statement student studio subsidy suburb
    supplier surgeon survey tariff teacher tenant terminal theatre ticket timetable
    tower trader trail trainer tram trustee tunnel union valley vendor venue vessel
    veteran village visitor volunteer voter wage warden warehouse waterfront worker
    workshop
    """
)
ADJECTIVES = words(
    """
    ageing annual anxious average bitter bold brief busy careful central cheap civic
    coastal cold common costly crowded daily damp delayed detailed distant early eastern
    empty extra familiar final firm formal former fragile frequent fresh full generous
    gradual greater growing hidden historic honest huge idle independent informal initial
    joint key large late leading lengthy local long loud lower main major minor modest
    monthly narrow national nearby new northern notable obvious official older open
    ordinary outdoor overdue partial patient planned popular private public quiet rapid
    rare recent regional remote rival rough rural seasonal second senior separate serious
    sharp short silent simple slow small smaller southern spare steady steep strict strong
    sudden temporary tight total uneasy unusual upper urban useful vacant vital weekly
    western wider winter young
    """
)
# Past-tense verbs that take an object: "the council delayed the scheme".
VERBS = words(
    """
    accepted adjusted approved backed blocked booked borrowed briefed broadened built
    cancelled challenged changed checked cleared closed collected completed confirmed
    considered counted covered cut defended delayed delivered designed doubled drafted
    dropped earned eased ended examined expanded extended filed financed funded gathered
    handled hired improved inspected launched leased limited listed lowered managed
    measured merged monitored moved named noted offered opened ordered organised paused
    planned praised prepared presented protected published questioned raised rebuilt
    reduced refused rejected renewed repaired replaced reported restored reviewed revised
    scrapped secured shared signed simplified sold started studied supported suspended
    tested tightened tracked trimmed upgraded used valued visited welcomed widened
    """
)
PREPOSITIONS = words("across along around beside beyond near past behind inside outside")
OCCUPATIONS = lines(
    """
    baker
    bus driver
    retired teacher
    nurse
    shop owner
    student
    carpenter
    pharmacist
    café manager
    delivery driver
    electrician
    librarian
    fisherman
    painter
    taxi driver
    accountant
    gardener
    postal worker
    mechanic
    chef
    """
)
REPORTING_VERBS = words(
    "said argued noted warned suggested added insisted admitted recalled claimed believed"
)
# Sentence shapes for the loose grammar; the slots are filled by
# ``corpus.loose_sentence`` from the lexicon above and the event's names.
LOOSE_FORMS = (
    "The {adj} {noun} {verb} the {noun2} {prep} the {noun3}.",
    "{name}, {an_occupation} in {district}, {reporting} the {noun} had {verb} {count} {noun2_pl}.",
    "{prep_cap} the {adj} {noun}, {count} {noun2_pl} {verb} {an_adj2} {noun3}.",
    "In {year}, the {noun} {verb} {count} {noun2_pl} {prep} the {adj} {noun3}.",
    "Some {noun_pl} {verb} the {adj} {noun2}, while others {verb2} its {noun3}.",
    "{name} {reporting} that the {adj} {noun} was {adj2} for {noun2_pl}.",
    "The {noun} in {district} {verb} its {adj} {noun2} last {season}.",
    "Figures from the {noun} show {count} {noun2_pl} {verb} the {adj} {noun3} in {year}.",
    "{An_adj} {noun} {prep} {place} {verb} the {noun2}, {name} {reporting}.",
    "The {noun2_pl} had {verb} the {adj} {noun} twice before, {reporting} {name}.",
)
SEASONS = words("spring summer autumn winter year month week")

# --- what a web page carries besides the article (see ``bench.webpage``) ------------------

# A site's sections and the subsections its menus and footer site maps list.
SITE_SECTIONS = lines(
    """
    News
    Local
    Sport
    Business
    Politics
    Opinion
    Culture
    Lifestyle
    Food and Drink
    Property
    Motors
    Jobs
    Travel
    Weather
    Education
    Health
    Environment
    Community
    What's On
    Puzzles
    Video
    Photos
    Podcasts
    Obituaries
    """
)
SUBSECTIONS = lines(
    """
    Crime
    Courts
    Transport
    Schools
    Planning
    Council
    Elections
    Roads
    Rail
    Farming
    Markets
    Retail
    Property Prices
    Small Business
    Energy
    Football
    Cricket
    Rugby
    Athletics
    Cycling
    Golf
    Racing
    Results
    Fixtures
    Letters
    Columnists
    Editorials
    Cartoons
    Theatre
    Music
    Film
    Books
    Galleries
    Restaurants
    Recipes
    Gardening
    Fashion
    Families
    Pets
    Gadgets
    Money
    Pensions
    Walks
    Days Out
    Heritage
    Nostalgia
    Charities
    Faith
    Weddings
    Births
    Announcements
    Crossword
    Sudoku
    Quiz
    Traffic
    Forecasts
    Tide Times
    Flood Alerts
    Hospitals
    Universities
    """
)
# Shapes of the invented headlines that fill menus, rails and trending lists.
WIDGET_HEADLINES = lines(
    """
    {Place} {noun} {verb} after {adj} {noun2} row
    {Adj} {noun} to reopen in {place} next {season}
    Council {verb} plans for {adj} {noun} in {district}
    {count} {noun_pl} {verb} as {adj} {noun2} hits {place}
    Why {district} is talking about the {adj} {noun}
    {Place} {noun} wins {adj} award
    {Surname} named new head of {place} {noun}
    What the {adj} {noun} means for {place}
    {Place} {noun_pl} angry over {adj} {noun2} delays
    In pictures: the {adj} {noun} at {district}
    Live: {adj} {noun} closes road near {place}
    {count} things to do in {place} this weekend
    Appeal after {noun} {verb} in {district}
    {Place} v {Place2}: {adj} {noun} settles derby
    Weather: {adj} {season} ahead for {place}
    Opinion: {place} needs {an_adj} {noun}
    New {noun} for {district} {verb} by council
    {Place} family {verb} {adj} {noun}
    Obituary: {First} {Surname}, {occupation} of {place}
    Traffic: {adj} delays on {district} {noun}
    Quiz: how well do you know {place}?
    {First} {Surname}: the {adj} {noun} I will never forget
    """
)
# Headings of the lists of other stories beside and below an article.
WIDGET_HEADINGS = lines(
    """
    Trending
    Most Read
    Popular Now
    Most Viewed
    In Case You Missed It
    Top Stories
    Editor's Picks
    Latest
    """
)
# Footer links every site carries besides its site map.
SITE_LINKS = lines(
    """
    About us
    Contact us
    Advertise with us
    Work for us
    Privacy notice
    Cookie settings
    Terms of use
    Complaints
    Corrections
    Accessibility
    Archive
    Site map
    RSS feeds
    Help centre
    Manage subscription
    Newsletters
    Editorial standards
    Announcements
    """
)
# What a consent dialog asks to be allowed to do, in its own words.
CONSENT_PURPOSES = lines(
    """
    Store and read small files on your device
    Show advertising based on limited data
    Build a profile of your interests for advertising
    Measure how advertising performs
    Measure how our pages perform
    Learn about readers from surveys and statistics
    Improve our services and develop new ones
    Link different devices you use
    Use precise location data
    Remember your choices for personalised stories
    """
)
# Icons in a site's inline sprite, by the name pages refer to them with.
ICON_NAMES = words(
    """
    search menu close account share mail link print comment bookmark play camera
    arrow-left arrow-right chevron-down chevron-up clock location sun rain bell app rss
    phone facebook x-logo instagram youtube whatsapp linkedin tiktok headphones gallery
    quote info warning check plus minus star
    """
)
# Components that template stylesheets and scripts are organised by.
UI_BLOCKS = words(
    """
    alert badge banner breadcrumb button card carousel chip dropdown embed figure form
    gallery grid hero kicker label list loader media modal pagination panel pill player
    poll promo quote rail ribbon scoreboard sheet skeleton spinner stack tab table teaser
    ticker timeline toast toolbar tooltip video weather widget
    """
)
UI_PARTS = words(
    "title body header footer image caption meta link icon inner wrapper item content text "
    "action label count avatar overlay"
)
UI_MODIFIERS = words(
    "active compact dark disabled featured large small inverted loading open primary "
    "secondary sticky wide"
)
# Bundles a site's pages load, by name.
SCRIPT_BUNDLES = words(
    "runtime vendor polyfills main article ads consent analytics comments video gallery "
    "newsletter paywall search"
)
