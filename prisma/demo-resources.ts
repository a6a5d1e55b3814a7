// Demo data for the ParaNet resource clearinghouse: a curated catalogue of
// training and reference resources for library support staff, tagged by the
// ten competency areas of ALA's Library Support Staff Certification (LSSC).
// Abstracts are original summaries written for this project. Programs and
// requirements change; each entry points to the provider's own page.

export type DemoResource = {
  title: string;
  url: string;
  type: "article" | "webinar" | "course" | "certification" | "association" | "state_requirement" | "toolkit" | "book" | "other";
  abstract: string;
  competencies: string[];
  tags: string[];
  libraryTypes: ("school" | "public" | "academic" | "special" | "other")[];
  region: string;
  cost: "free" | "paid" | "membership";
  provider: string;
  ceHours: number | null;
  publishedOn: string | null;
  featured: boolean;
};

export const DEMO_RESOURCES: DemoResource[] = [
  // ── National certification ────────────────────────────────────────────
  {
    title: "Library Support Staff Certification (LSSC)",
    url: "https://ala-apa.org/lssc/",
    type: "certification",
    abstract:
      "A national, voluntary certification from the American Library Association for people working in library jobs that do not require an MLIS. Candidates complete **six of ten competency sets**: three required (Foundations of Library Services, Communication and Teamwork, Technology) plus three electives, usually by finishing approved courses from outside providers. Eligibility calls for a high school diploma or equivalent and about a year of library work experience. There is a candidate fee; some state library agencies have offered help with costs.",
    competencies: ["foundations", "communication-teamwork", "technology"],
    tags: ["lssc", "career development"],
    libraryTypes: [],
    region: "national",
    cost: "paid",
    provider: "American Library Association",
    ceHours: null,
    publishedOn: null,
    featured: true,
  },

  // ── State programs and requirements ───────────────────────────────────
  {
    title: "Nebraska Public Librarian Certification",
    url: "https://nlc.nebraska.gov/ce/libcert.aspx",
    type: "certification",
    abstract:
      "Voluntary certification run by the Nebraska Library Commission for people working in Nebraska public libraries, including staff without a library degree. Levels are set by education, from a high school diploma up to an ALA-accredited master's; applicants without library coursework also complete a set of Basic Skills courses. Certificates run three years and are renewed with 45 continuing-education credits earned through workshops, webinars, conferences and similar activities. There is no charge to apply.",
    competencies: ["foundations", "supervision-management"],
    tags: ["state certification", "continuing education"],
    libraryTypes: ["public"],
    region: "Nebraska",
    cost: "free",
    provider: "Nebraska Library Commission",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },
  {
    title: "Montana Library Certification Program",
    url: "https://msl.mt.gov/libraries/learning/certification",
    type: "state_requirement",
    abstract:
      "Montana State Library's continuing-education certification. It is **mandatory for public library directors** (a condition of state aid) and voluntary for other library staff and trustees. Certificates last four years and are earned by logging CE credits across categories such as library administration, collection management and technical services, services to the public, and technology. The State Library Commission adopted revised rules in late 2025, so check the page for current requirements.",
    competencies: ["supervision-management", "collection-management", "technology"],
    tags: ["state certification", "continuing education"],
    libraryTypes: ["public"],
    region: "Montana",
    cost: "free",
    provider: "Montana State Library",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },
  {
    title: "Kentucky Public Library Certification",
    url: "https://kdla.ky.gov/Library-Support/Library-Staff-Development/Pages/Certification.aspx",
    type: "state_requirement",
    abstract:
      "Kentucky law requires certification for public library directors, branch and department heads, outreach librarians and full-time staff who provide information services; the State Board for the Certification of Librarians issues certificates through KDLA. For part-time staff, a separate **voluntary, no-fee program** consists of four online KDLA courses (customer service, reference basics, difficult situations, readers' advisory basics), valid five years and renewable with 15 hours of training.",
    competencies: ["reference", "adult-readers-advisory", "communication-teamwork"],
    tags: ["state certification", "part-time staff"],
    libraryTypes: ["public"],
    region: "Kentucky",
    cost: "free",
    provider: "Kentucky Department for Libraries and Archives",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },
  {
    title: "Arizona Library Support Staff Certification",
    url: "https://azlibrary.gov/libdev/continuing-education/library-practitioner-certification",
    type: "certification",
    abstract:
      "State-level route to LSSC for Arizona library staff without an MLIS. Staff complete a set of Infopeople online courses covering the three required LSSC competency sets plus three electives, with course fees paid by the Arizona State Library. Submitting the completion certificates earns an Arizona certificate; staff can then apply separately (and pay ALA's fee) for the national LSSC. The page notes program changes, so confirm the current course list before enrolling.",
    competencies: ["foundations", "communication-teamwork"],
    tags: ["lssc", "state certification", "infopeople"],
    libraryTypes: [],
    region: "Arizona",
    cost: "free",
    provider: "Arizona State Library, Archives and Public Records",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },

  // ── Associations ──────────────────────────────────────────────────────
  {
    title: "Library Support Staff Interests Round Table (LSSIRT)",
    url: "https://www.ala.org/rt/lssirt",
    type: "association",
    abstract:
      "The ALA round table devoted to library support staff. It works on issues such as training, education, career development and job responsibilities, and gives support staff a way to network and take part in ALA governance and conference programming. Joining requires ALA membership plus round-table dues; ALA has a lower dues category for support staff. A good first stop for anyone considering LSSC or wanting colleagues beyond their own library.",
    competencies: ["foundations", "communication-teamwork"],
    tags: ["networking", "career development"],
    libraryTypes: [],
    region: "national",
    cost: "membership",
    provider: "American Library Association",
    ceHours: null,
    publishedOn: null,
    featured: true,
  },
  {
    title: "American Association of School Librarians (AASL)",
    url: "https://www.ala.org/aasl",
    type: "association",
    abstract:
      "ALA's division for school library staff. It publishes the *National School Library Standards* (2018) and the journal *Knowledge Quest*, holds a national conference, and offers webinars and advocacy materials for K-12 libraries. Useful for library aides and media assistants who want to understand the standards their school library program is measured against. Division membership is added on top of ALA membership.",
    competencies: ["youth-services"],
    tags: ["school libraries", "standards"],
    libraryTypes: ["school"],
    region: "national",
    cost: "membership",
    provider: "American Library Association",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },
  {
    title: "Public Library Association (PLA)",
    url: "https://www.ala.org/pla",
    type: "association",
    abstract:
      "ALA's division for public library workers. It runs the biennial PLA Conference, publishes *Public Libraries* magazine, hosts webinars, and maintains projects such as DigitalLearn.org (digital literacy training) and Project Outcome (measuring program results). Relevant to public library staff in any role, from circulation to programming to branch supervision. Division membership is added on top of ALA membership.",
    competencies: ["supervision-management", "adult-readers-advisory"],
    tags: ["public libraries", "programming"],
    libraryTypes: ["public"],
    region: "national",
    cost: "membership",
    provider: "American Library Association",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },
  {
    title: "Association for Library Service to Children (ALSC)",
    url: "https://www.ala.org/alsc",
    type: "association",
    abstract:
      "ALA's division for children's library services. It administers the Newbery and Caldecott medals and other book and media awards, publishes annual notable lists, and offers online courses, webinars and a competencies document for staff serving children. Handy for storytime presenters and children's desk staff building programs or choosing materials. Division membership is added on top of ALA membership; many lists and blog posts are free.",
    competencies: ["youth-services", "collection-management"],
    tags: ["children's services", "book awards"],
    libraryTypes: ["public", "school"],
    region: "national",
    cost: "membership",
    provider: "American Library Association",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },

  // ── Webinars and courses ──────────────────────────────────────────────
  {
    title: "WebJunction",
    url: "https://www.webjunction.org",
    type: "webinar",
    abstract:
      "OCLC's free learning site for library staff. It hosts live webinars (typically about an hour, with recordings archived afterward), self-paced courses, and articles on topics such as customer service, technology, programming, and supervising staff. No membership is needed; you create a free account to take courses and receive certificates of completion, which can often be logged toward state CE requirements. Content leans toward public libraries but much of it applies anywhere.",
    competencies: ["technology", "supervision-management"],
    tags: ["free training", "self-paced"],
    libraryTypes: [],
    region: "national",
    cost: "free",
    provider: "OCLC",
    ceHours: 1,
    publishedOn: null,
    featured: true,
  },
  {
    title: "Infopeople",
    url: "https://infopeople.org",
    type: "course",
    abstract:
      "A California-based library training provider open to staff anywhere. It offers instructor-led online courses, generally two to six weeks and asynchronous, for a fee, alongside free one-hour webinars with archived recordings. Several of its courses have been approved for LSSC competency sets, and some state libraries (Arizona, for example) pay course fees for their staff. Topics run from communication and teamwork to youth services, cataloging and supervision.",
    competencies: ["communication-teamwork", "supervision-management"],
    tags: ["online courses", "lssc"],
    libraryTypes: [],
    region: "national",
    cost: "paid",
    provider: "Infopeople",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },
  {
    title: "Library Juice Academy",
    url: "https://libraryjuiceacademy.com",
    type: "course",
    abstract:
      "Paid online professional-development courses for library workers, most running four weeks in an asynchronous format with readings, exercises, quizzes and discussion forums led by practitioner instructors. The catalogue is strong in technical services, including introductory cataloging, Library of Congress Classification and metadata, and also covers technology, collections and management. A practical option for copy catalogers or tech-services staff who learned on the job.",
    competencies: ["cataloging-classification", "technology"],
    tags: ["online courses", "metadata"],
    libraryTypes: [],
    region: "national",
    cost: "paid",
    provider: "Library Juice Academy",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },
  {
    title: "Network of the National Library of Medicine (NNLM) Training",
    url: "https://www.nnlm.gov",
    type: "webinar",
    abstract:
      "Free classes and webinars, live and on demand, funded by the National Library of Medicine, on finding and evaluating health information with tools such as MedlinePlus and PubMed and on answering consumer health questions at a service desk. Many sessions carry Medical Library Association CE credit. Useful for any desk staff who field health questions, in public, academic, or hospital libraries.",
    competencies: ["reference"],
    tags: ["health information", "consumer health"],
    libraryTypes: [],
    region: "national",
    cost: "free",
    provider: "Network of the National Library of Medicine",
    ceHours: 1,
    publishedOn: null,
    featured: false,
  },

  // ── Toolkits, guidelines and reference documents ─────────────────────
  {
    title: "CREW: A Weeding Manual for Modern Libraries",
    url: "https://www.tsl.texas.gov/ld/pubs/crew/index.html",
    type: "toolkit",
    abstract:
      "The standard free guide to weeding, published by the Texas State Library and Archives Commission and revised by Jeanette Larson. CREW (Continuous Review, Evaluation, and Weeding) explains the MUSTIE criteria for deciding what to withdraw and gives suggested age/circulation formulas for each Dewey range and format, plus advice on children's materials and disposing of discards. Widely used well beyond Texas, especially in small public and school libraries.",
    competencies: ["collection-management"],
    tags: ["weeding", "mustie"],
    libraryTypes: ["public", "school"],
    region: "national",
    cost: "free",
    provider: "Texas State Library and Archives Commission",
    ceHours: null,
    publishedOn: "2012-01-01",
    featured: true,
  },
  {
    title: "Library Bill of Rights",
    url: "https://www.ala.org/advocacy/intfreedom/librarybill",
    type: "article",
    abstract:
      "ALA's short core policy statement on library users' rights, first adopted in 1939. Its seven articles cover serving all people regardless of origin, age, background or views, presenting multiple points of view, resisting censorship, equitable use of meeting rooms and exhibit space, and (since 2019) user privacy and confidentiality. Many libraries adopt it into local policy, and ALA publishes interpretations on specific situations. Essential reading for every new staff member.",
    competencies: ["foundations", "access-services"],
    tags: ["intellectual freedom", "privacy", "policy"],
    libraryTypes: [],
    region: "national",
    cost: "free",
    provider: "American Library Association",
    ceHours: null,
    publishedOn: "2019-01-29",
    featured: true,
  },
  {
    title: "Copyright Basics (Circular 1)",
    url: "https://www.copyright.gov/circs/circ01.pdf",
    type: "article",
    abstract:
      "A free plain-language overview from the U.S. Copyright Office of what copyright protects, who owns it, how long it generally lasts, and how registration works. A good grounding before handling photocopy requests, course reserves or interlibrary loan copies. The Office's circular series also includes one on reproduction of copyrighted works by educators and librarians for library-specific situations. It explains the law in general terms and is not legal advice.",
    competencies: ["foundations", "access-services"],
    tags: ["copyright", "fair use"],
    libraryTypes: [],
    region: "national",
    cost: "free",
    provider: "U.S. Copyright Office",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },
  {
    title: "Guidelines for Behavioral Performance of Reference and Information Service Providers",
    url: "https://www.ala.org/rusa/resources/guidelines/guidelinesbehavioral",
    type: "article",
    abstract:
      "RUSA's guidelines describing the observable behaviors behind a good reference interaction, in person or virtual. The 2023 revision groups them into inclusion, approachability, engagement, searching, evaluation and closure, with example behaviors and questions. Widely used to train and evaluate anyone who works a public service desk, including support staff who answer directional and ready-reference questions. Free to read online.",
    competencies: ["reference", "communication-teamwork"],
    tags: ["reference interview", "customer service"],
    libraryTypes: [],
    region: "national",
    cost: "free",
    provider: "Reference and User Services Association (ALA)",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },
  {
    title: "Interlibrary Loan Code for the United States with Explanatory Text",
    url: "https://www.ala.org/rusa/interlibrary-loan-code-united-states-explanatory-text",
    type: "article",
    abstract:
      "The national code of practice for borrowing and lending between U.S. libraries, maintained by RUSA's resource-sharing section. It sets out the responsibilities of requesting and supplying libraries: what may be requested, request information, due dates, copyright compliance, and handling of lost or damaged items. In 2023 the code and its explanatory supplement were merged into one document. A standard ILL request form is linked from the same page.",
    competencies: ["access-services", "reference"],
    tags: ["interlibrary loan", "resource sharing"],
    libraryTypes: [],
    region: "national",
    cost: "free",
    provider: "Reference and User Services Association (ALA)",
    ceHours: null,
    publishedOn: "2023-06-13",
    featured: false,
  },
  {
    title: "Library Privacy Guidelines for Library Management Systems",
    url: "https://www.ala.org/advocacy/library-privacy-guidelines-library-management-systems",
    type: "article",
    abstract:
      "One of ALA's library privacy guidelines, covering the integrated library system that holds patron records, loans, holds and fines. It recommends collecting only the data needed, setting retention limits, securing access, and writing vendor agreements so the library keeps ownership of its data. Helpful for circulation staff and system administrators reviewing what the ILS keeps and who can see it.",
    competencies: ["access-services", "technology"],
    tags: ["privacy", "ils", "circulation"],
    libraryTypes: [],
    region: "national",
    cost: "free",
    provider: "American Library Association",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },
  {
    title: "Catalogers Learning Workshop",
    url: "https://www.loc.gov/catworkshop/",
    type: "toolkit",
    abstract:
      "The Library of Congress's portal for cataloging and metadata training, developed with the Program for Cooperative Cataloging. It gathers free training materials such as course manuals, slides and recorded sessions on topics including Library of Congress Classification, subject headings and descriptive cataloging. Best suited to staff who already do copy cataloging and want to understand the rules behind the records they accept or edit.",
    competencies: ["cataloging-classification"],
    tags: ["lc classification", "subject headings"],
    libraryTypes: [],
    region: "national",
    cost: "free",
    provider: "Library of Congress",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },
  {
    title: "Dewey Decimal Classification",
    url: "https://www.oclc.org/en/dewey.html",
    type: "toolkit",
    abstract:
      "OCLC's home for the Dewey Decimal Classification, which it owns and maintains. Alongside information on the full and abridged editions and the WebDewey subscription service, the site offers free introductory material explaining how the ten main classes and their subdivisions are built. Useful for shelvers and processing staff in public and school libraries who want to understand call numbers rather than just follow them. The full schedules require a subscription or print purchase.",
    competencies: ["cataloging-classification"],
    tags: ["dewey", "call numbers"],
    libraryTypes: ["public", "school"],
    region: "national",
    cost: "free",
    provider: "OCLC",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },
  {
    title: "Collaborative Summer Library Program (CSLP)",
    url: "https://www.cslpreads.org",
    type: "toolkit",
    abstract:
      "A nonprofit consortium, with state library agencies as members, that produces a shared summer reading theme each year, with artwork and program manuals for early literacy, children, teens and adults. Public libraries in member states can use the manual through their state membership and buy posters, reading logs and incentives. Saves staff time planning summer programs and keeps promotion consistent across a region.",
    competencies: ["youth-services", "adult-readers-advisory"],
    tags: ["summer reading", "programming"],
    libraryTypes: ["public"],
    region: "national",
    cost: "membership",
    provider: "Collaborative Summer Library Program",
    ceHours: null,
    publishedOn: null,
    featured: false,
  },

  // ── Books ─────────────────────────────────────────────────────────────
  {
    title: "Supervision and Management: An Introduction for Support Staff",
    url: "https://rowman.com",
    type: "book",
    abstract:
      "By Marie Keen Shaw and Hali R. Keeler; part of Rowman & Littlefield's *Library Support Staff Handbooks* series, whose volumes are aligned with the LSSC competency sets. Written for support staff who supervise others or run a small library, it works as a course text and as a desk reference. Other titles in the series cover foundations, technology, cataloging, collections, and communication and teamwork. Available in print and as an e-book.",
    competencies: ["supervision-management", "communication-teamwork"],
    tags: ["lssc", "supervision"],
    libraryTypes: [],
    region: "national",
    cost: "paid",
    provider: "Rowman & Littlefield",
    ceHours: null,
    publishedOn: "2019-01-01",
    featured: false,
  },
  {
    title: "Readers' Advisory Service in the Public Library (3rd edition)",
    url: "https://www.alastore.ala.org",
    type: "book",
    abstract:
      "Joyce G. Saricks's handbook on helping adult readers find their next book, published by ALA Editions. It explains the readers' advisory conversation, the idea of *appeal factors* (pacing, characterization, story line, tone, style) as a way to describe books without summarizing plots, and how staff can build genre knowledge and use reference tools. Older, but still a standard training text for circulation and desk staff asked what to read next.",
    competencies: ["adult-readers-advisory"],
    tags: ["readers advisory", "appeal factors"],
    libraryTypes: ["public"],
    region: "national",
    cost: "paid",
    provider: "ALA Editions",
    ceHours: null,
    publishedOn: "2005-01-01",
    featured: false,
  },
];
