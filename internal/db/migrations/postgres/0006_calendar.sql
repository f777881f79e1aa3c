-- Business calendars: the holidays the help desk's working-hours clocks
-- and LAPOR! working days skip, the calendar each SLA policy runs on, and
-- LAPOR! complaints with their working-day clocks.
-- Keep in step with ../sqlite/0006_calendar.sql.

-- A day off for the whole city: a national holiday or cuti bersama. Dates
-- are written and compared as 'YYYY-MM-DD' text, so both engines hold the
-- same value.
CREATE TABLE holidays (
    day   DATE PRIMARY KEY,
    name  TEXT NOT NULL CHECK (name <> '')
);

-- An SLA policy's clocks run on the 24/7 calendar or on working hours.
ALTER TABLE sla_policies ADD COLUMN calendar TEXT NOT NULL DEFAULT '24x7' CHECK (calendar IN ('24x7', 'working'));

-- 2026: the national holidays and cuti bersama of the SKB of the Minister
-- of Religious Affairs, of Manpower and of PANRB of 19 September 2025
-- (1497/2025, 2/2025, 5/2025). 2027: only the days known without the SKB
-- (fixed dates and the Easter feasts); the Islamic, Chinese, Hindu and
-- Buddhist feasts and cuti bersama are added from the SKB at /layanan/kalender.
INSERT INTO holidays (day, name) VALUES
    ('2026-01-01', 'Tahun Baru 2026 Masehi'),
    ('2026-01-16', 'Isra Mikraj Nabi Muhammad SAW'),
    ('2026-02-16', 'Cuti bersama Tahun Baru Imlek'),
    ('2026-02-17', 'Tahun Baru Imlek 2577 Kongzili'),
    ('2026-03-18', 'Cuti bersama Hari Suci Nyepi'),
    ('2026-03-19', 'Hari Suci Nyepi Tahun Baru Saka 1948'),
    ('2026-03-20', 'Cuti bersama Idulfitri 1447 H'),
    ('2026-03-21', 'Idulfitri 1447 H'),
    ('2026-03-22', 'Idulfitri 1447 H'),
    ('2026-03-23', 'Cuti bersama Idulfitri 1447 H'),
    ('2026-03-24', 'Cuti bersama Idulfitri 1447 H'),
    ('2026-04-03', 'Wafat Yesus Kristus'),
    ('2026-04-05', 'Kebangkitan Yesus Kristus (Paskah)'),
    ('2026-05-01', 'Hari Buruh Internasional'),
    ('2026-05-14', 'Kenaikan Yesus Kristus'),
    ('2026-05-15', 'Cuti bersama Kenaikan Yesus Kristus'),
    ('2026-05-27', 'Iduladha 1447 H'),
    ('2026-05-28', 'Cuti bersama Iduladha 1447 H'),
    ('2026-05-31', 'Hari Raya Waisak 2570 BE'),
    ('2026-06-01', 'Hari Lahir Pancasila'),
    ('2026-06-16', 'Tahun Baru Islam 1448 H'),
    ('2026-08-17', 'Hari Proklamasi Kemerdekaan Republik Indonesia'),
    ('2026-08-25', 'Maulid Nabi Muhammad SAW'),
    ('2026-12-24', 'Cuti bersama Kelahiran Yesus Kristus'),
    ('2026-12-25', 'Kelahiran Yesus Kristus'),
    ('2027-01-01', 'Tahun Baru 2027 Masehi'),
    ('2027-03-26', 'Wafat Yesus Kristus'),
    ('2027-03-28', 'Kebangkitan Yesus Kristus (Paskah)'),
    ('2027-05-01', 'Hari Buruh Internasional'),
    ('2027-05-06', 'Kenaikan Yesus Kristus'),
    ('2027-06-01', 'Hari Lahir Pancasila'),
    ('2027-08-17', 'Hari Proklamasi Kemerdekaan Republik Indonesia'),
    ('2027-12-25', 'Kelahiran Yesus Kristus');

-- LAPOR! SP4N complaints: a ticket registered with its LAPOR! tracking ID
-- and the working-day clocks of the national rules, on the holiday
-- calendar: forwarded (routed to a team) within 3 working days of receipt,
-- followed up (the help desk's first public reply) within 5, and closed 10
-- working days after the follow-up when the reporter has not answered.
-- closed_by_job_at marks the automatic closing, so it happens once however
-- many nodes run the job.
CREATE TABLE lapor_complaints (
    ticket_id         BIGINT PRIMARY KEY REFERENCES tickets(id) ON DELETE CASCADE,
    tracking_id       TEXT NOT NULL UNIQUE,
    received_at       TIMESTAMPTZ NOT NULL,
    forward_due       TIMESTAMPTZ NOT NULL,
    followup_due      TIMESTAMPTZ NOT NULL,
    forwarded_at      TIMESTAMPTZ,
    followed_up_at    TIMESTAMPTZ,
    close_due         TIMESTAMPTZ,
    closed_by_job_at  TIMESTAMPTZ,
    CHECK ((followed_up_at IS NULL) = (close_due IS NULL))
);
-- The closing job's question: which complaints are due to close.
CREATE INDEX lapor_complaints_close ON lapor_complaints(close_due) WHERE closed_by_job_at IS NULL;
