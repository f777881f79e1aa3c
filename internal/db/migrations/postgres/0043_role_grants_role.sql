-- The people holding a role (the help desk's agents for the queue page's
-- choices, an admin's list filtered by role) are found from the role, not by
-- probing every account: at ministry scale that was 300,000 probes a page.
-- Keep in step with ../sqlite/0043_role_grants_role.sql.
CREATE INDEX role_grants_role ON role_grants(role, account_id);
