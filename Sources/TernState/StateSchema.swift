import GRDB

/// The state database's schema as named, forward-only migrations. Never edit a shipped
/// migration: add a new one.
enum StateSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1: mailboxes, folders, message map, failures") { db in
            try db.execute(sql: """
                CREATE TABLE mailbox (
                    id INTEGER PRIMARY KEY,
                    source TEXT NOT NULL,
                    destination TEXT NOT NULL,
                    status TEXT NOT NULL,
                    last_error TEXT,
                    updated_at REAL,
                    UNIQUE (source, destination)
                );
                CREATE TABLE folder (
                    id INTEGER PRIMARY KEY,
                    mailbox_id INTEGER NOT NULL REFERENCES mailbox(id) ON DELETE CASCADE,
                    source_name TEXT NOT NULL,
                    destination_name TEXT NOT NULL,
                    source_uidvalidity INTEGER,
                    source_uidnext INTEGER,
                    source_modseq INTEGER,
                    destination_uidvalidity INTEGER,
                    updated_at REAL,
                    UNIQUE (mailbox_id, source_name)
                );
                CREATE TABLE message (
                    folder_id INTEGER NOT NULL REFERENCES folder(id) ON DELETE CASCADE,
                    source_uid INTEGER NOT NULL,
                    destination_uid INTEGER,
                    fingerprint TEXT NOT NULL,
                    flags TEXT NOT NULL,
                    size INTEGER NOT NULL,
                    copied_at REAL NOT NULL,
                    PRIMARY KEY (folder_id, source_uid)
                ) WITHOUT ROWID;
                CREATE TABLE failure (
                    folder_id INTEGER NOT NULL REFERENCES folder(id) ON DELETE CASCADE,
                    source_uid INTEGER NOT NULL,
                    category TEXT NOT NULL,
                    message TEXT NOT NULL,
                    server_text TEXT,
                    suggestion TEXT,
                    attempts INTEGER NOT NULL,
                    last_at REAL NOT NULL,
                    PRIMARY KEY (folder_id, source_uid)
                );
                """)
        }
        migrator.registerMigration("v2: inventory") { db in
            // One row per routing or mailbox object of the project's inventory. Lists are JSON
            // arrays of strings; the same address may appear once per kind (a mailbox that also
            // forwards is a mailbox and a forwarder).
            try db.execute(sql: """
                CREATE TABLE inventory_object (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    address TEXT NOT NULL,
                    targets TEXT NOT NULL,
                    display_name TEXT,
                    sources TEXT NOT NULL,
                    destination TEXT,
                    wave TEXT,
                    status TEXT NOT NULL,
                    notes TEXT NOT NULL,
                    keep_copy INTEGER NOT NULL DEFAULT 0,
                    action TEXT NOT NULL DEFAULT 'deliver',
                    action_text TEXT,
                    size_bytes INTEGER,
                    updated_at REAL NOT NULL,
                    UNIQUE (kind, address)
                );
                CREATE INDEX inventory_object_address ON inventory_object (address);
                """)
        }
        migrator.registerMigration("v3: scan") { db in
            // One row per scanned source mailbox (`tern inventory scan`): the facts the wave
            // plan rests on. Keyed by the inventory address; a re-scan replaces the row.
            try db.execute(sql: """
                CREATE TABLE mailbox_scan (
                    address TEXT PRIMARY KEY,
                    login TEXT NOT NULL,
                    status TEXT NOT NULL,
                    folders INTEGER,
                    messages INTEGER,
                    size_bytes INTEGER,
                    largest_message INTEGER,
                    quota_used INTEGER,
                    quota_limit INTEGER,
                    error TEXT,
                    error_category TEXT,
                    scanned_at REAL NOT NULL
                );
                """)
        }
        migrator.registerMigration("v4: scan folders") { db in
            // Every folder of a scanned source mailbox, in LIST order, as `tern plan folders`
            // maps them: the wire name, the decoded name relative to the personal namespace
            // (`path`, a JSON array of levels; NULL outside it), separator, special use and
            // LIST attributes (JSON), counts. A successful re-scan replaces an address's rows;
            // a failed one keeps them.
            try db.execute(sql: """
                CREATE TABLE mailbox_scan_folder (
                    address TEXT NOT NULL REFERENCES mailbox_scan(address) ON DELETE CASCADE,
                    position INTEGER NOT NULL,
                    wire_name TEXT NOT NULL,
                    name TEXT NOT NULL,
                    path TEXT,
                    separator TEXT,
                    special_use TEXT,
                    attributes TEXT NOT NULL,
                    selectable INTEGER NOT NULL,
                    subscribed INTEGER NOT NULL,
                    messages INTEGER,
                    size_bytes INTEGER,
                    PRIMARY KEY (address, position)
                ) WITHOUT ROWID;
                """)
        }
        migrator.registerMigration("v5: runs") { db in
            // One row per finished pass over a mailbox (copy or verification): the history
            // `tern report` shows and the measured rate `tern plan waves` defaults to. Keyed
            // by the account keys of the `mailbox` table, plus the inventory address when known.
            try db.execute(sql: """
                CREATE TABLE mailbox_run (
                    id INTEGER PRIMARY KEY,
                    kind TEXT NOT NULL,
                    source_key TEXT NOT NULL,
                    destination_key TEXT NOT NULL,
                    address TEXT,
                    wave TEXT,
                    started_at REAL NOT NULL,
                    finished_at REAL NOT NULL,
                    status TEXT NOT NULL,
                    source_messages INTEGER NOT NULL,
                    copied INTEGER NOT NULL,
                    bytes INTEGER NOT NULL,
                    failed INTEGER NOT NULL,
                    error TEXT
                );
                CREATE INDEX mailbox_run_address ON mailbox_run (address);
                """)
        }
        migrator.registerMigration("v6: folder destination path") { db in
            // The planned destination path (a JSON array of levels) that led to the folder's
            // `destination_name`, so a later run knows when the recorded folder is still meant.
            try db.execute(sql: "ALTER TABLE folder ADD COLUMN destination_path TEXT")
        }
        return migrator
    }
}
