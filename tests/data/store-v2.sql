BEGIN TRANSACTION;
CREATE TABLE authorities (
    id INTEGER PRIMARY KEY,
    authority TEXT NOT NULL,
    gss_code TEXT,
    authority_key TEXT NOT NULL,
    UNIQUE (authority, authority_key)
);
INSERT INTO "authorities" VALUES(1,'Kent','E10000016','E10000016');
INSERT INTO "authorities" VALUES(2,'Leeds','E08000035','E08000035');
INSERT INTO "authorities" VALUES(3,'Transport for London',NULL,'name:transport for london');
CREATE TABLE compliance (
    key TEXT PRIMARY KEY,
    reference TEXT,
    authority_id INTEGER NOT NULL REFERENCES authorities (id),
    year TEXT NOT NULL,
    date_recorded TEXT NOT NULL,
    outcome TEXT NOT NULL,
    load_id INTEGER REFERENCES loads (id),
    row INTEGER
) WITHOUT ROWID;
INSERT INTO "compliance" VALUES('19 001 001','19 001 001',1,'2019-20','2019-09-01','complied',1,2);
INSERT INTO "compliance" VALUES('20 001 001','20 001 001',2,'2020-21','2020-09-01','not_complied',1,3);
CREATE TABLE decisions (
    reference TEXT PRIMARY KEY,
    authority_id INTEGER NOT NULL REFERENCES authorities (id),
    year TEXT NOT NULL,
    decision_date TEXT NOT NULL,
    outcome TEXT NOT NULL,
    remedy_by_authority INTEGER NOT NULL,
    category TEXT,
    received_date TEXT,
    load_id INTEGER REFERENCES loads (id),
    row INTEGER
) WITHOUT ROWID;
INSERT INTO "decisions" VALUES('19 001 001',1,'2019-20','2019-06-01','upheld',1,'Housing',NULL,1,2);
INSERT INTO "decisions" VALUES('19 002 002',1,'2019-20','2019-06-01','upheld',1,'Housing',NULL,1,3);
INSERT INTO "decisions" VALUES('19 003 003',1,'2019-20','2019-06-01','upheld',1,'Housing',NULL,1,4);
INSERT INTO "decisions" VALUES('19 004 004',1,'2019-20','2019-06-01','not_upheld',0,'Housing',NULL,1,5);
INSERT INTO "decisions" VALUES('19 005 005',1,'2019-20','2019-06-01','not_upheld',0,'Housing',NULL,1,6);
INSERT INTO "decisions" VALUES('19 006 006',2,'2019-20','2019-06-01','upheld',0,'Housing',NULL,1,7);
INSERT INTO "decisions" VALUES('19 007 007',2,'2019-20','2019-06-01','upheld',0,'Housing',NULL,1,8);
INSERT INTO "decisions" VALUES('19 008 008',3,'2019-20','2019-06-01','upheld',0,'Housing',NULL,1,9);
INSERT INTO "decisions" VALUES('20 001 001',2,'2020-21','2020-06-01','not_upheld',0,'Housing',NULL,1,10);
INSERT INTO "decisions" VALUES('20 002 002',2,'2020-21','2020-06-01','not_upheld',0,'Housing',NULL,1,11);
CREATE TABLE loads (
    id INTEGER PRIMARY KEY,
    sha256 TEXT NOT NULL UNIQUE,
    file TEXT NOT NULL,
    loaded_at TEXT NOT NULL,
    decisions INTEGER NOT NULL,
    compliance INTEGER NOT NULL,
    published INTEGER NOT NULL
);
INSERT INTO "loads" VALUES(1,'b72b0a151362289af09295b5d172134d96633436dc92d3a677d5a65c61ea2387','v2.xlsx','2026-11-27T00:00:00+00:00',10,2,0);
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
INSERT INTO "meta" VALUES('schema_version','2');
CREATE TABLE published (
    authority_key TEXT NOT NULL,
    year TEXT NOT NULL,
    authority_id INTEGER NOT NULL REFERENCES authorities (id),
    advice_given INTEGER, closed_after_initial_enquiries INTEGER, incomplete_invalid INTEGER, referred_back INTEGER, not_upheld INTEGER, upheld INTEGER, remedy_by_authority INTEGER, complied INTEGER, complied_late INTEGER, not_complied INTEGER,
    load_id INTEGER REFERENCES loads (id),
    row INTEGER,
    PRIMARY KEY (authority_key, year)
) WITHOUT ROWID;
CREATE TABLE received (
    authority_key TEXT NOT NULL,
    year TEXT NOT NULL,
    category TEXT NOT NULL,
    authority_id INTEGER NOT NULL REFERENCES authorities (id),
    received INTEGER NOT NULL,
    load_id INTEGER REFERENCES loads (id),
    row INTEGER,
    PRIMARY KEY (authority_key, year, category)
) WITHOUT ROWID;
CREATE VIEW decisions_readable AS
    SELECT d.reference, a.authority, a.gss_code, a.authority_key, d.year, d.decision_date,
           d.outcome, d.remedy_by_authority, d.category, d.received_date,
           l.file AS source, d.row
    FROM decisions d JOIN authorities a ON a.id = d.authority_id
    LEFT JOIN loads l ON l.id = d.load_id;
CREATE VIEW compliance_readable AS
    SELECT c.reference, a.authority, a.gss_code, a.authority_key, c.year, c.date_recorded,
           c.outcome, l.file AS source, c.row
    FROM compliance c JOIN authorities a ON a.id = c.authority_id
    LEFT JOIN loads l ON l.id = c.load_id;
CREATE VIEW published_readable AS
    SELECT a.authority, a.gss_code, p.authority_key, p.year,
           p.advice_given, p.closed_after_initial_enquiries, p.incomplete_invalid, p.referred_back, p.not_upheld, p.upheld, p.remedy_by_authority, p.complied, p.complied_late, p.not_complied, l.file AS source, p.row
    FROM published p JOIN authorities a ON a.id = p.authority_id
    LEFT JOIN loads l ON l.id = p.load_id;
CREATE VIEW decision_counts AS
    SELECT a.authority_key, d.year, min(a.authority) AS authority, min(a.gss_code) AS gss_code,
           count(*) AS decisions,
           sum(d.outcome = 'advice_given') AS advice_given, sum(d.outcome = 'closed_after_initial_enquiries') AS closed_after_initial_enquiries, sum(d.outcome = 'incomplete_invalid') AS incomplete_invalid, sum(d.outcome = 'referred_back') AS referred_back, sum(d.outcome = 'not_upheld') AS not_upheld, sum(d.outcome = 'upheld') AS upheld,
           sum(d.remedy_by_authority) AS remedy_by_authority
    FROM decisions d JOIN authorities a ON a.id = d.authority_id
    GROUP BY a.authority_key, d.year;
CREATE VIEW compliance_counts AS
    SELECT a.authority_key, c.year, min(a.authority) AS authority, min(a.gss_code) AS gss_code,
           sum(c.outcome = 'complied') AS complied, sum(c.outcome = 'complied_late') AS complied_late, sum(c.outcome = 'not_complied') AS not_complied
    FROM compliance c JOIN authorities a ON a.id = c.authority_id
    GROUP BY a.authority_key, c.year;
COMMIT;
