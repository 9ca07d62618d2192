package archive

import (
	"context"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
)

// Salt returns the archive's secret salt for the hashes that stand in for
// e-mails and IP addresses under import --redact, creating it on first use.
func (a *Archive) Salt(ctx context.Context) ([]byte, error) {
	var salt []byte
	err := a.db.QueryRowContext(ctx, `SELECT value FROM _settings WHERE key = 'redact_salt'`).Scan(&salt)
	if err == nil && len(salt) > 0 {
		return salt, nil
	}
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, fmt.Errorf("read salt: %w", err)
	}
	salt = make([]byte, 32)
	if _, err := rand.Read(salt); err != nil {
		return nil, err
	}
	// INSERT OR IGNORE then read back: two imports racing agree on one salt.
	if _, err := a.db.ExecContext(ctx, `INSERT OR IGNORE INTO _settings (key, value) VALUES ('redact_salt', ?)`, salt); err != nil {
		return nil, fmt.Errorf("store salt: %w", err)
	}
	if err := a.db.QueryRowContext(ctx, `SELECT value FROM _settings WHERE key = 'redact_salt'`).Scan(&salt); err != nil {
		return nil, fmt.Errorf("read salt: %w", err)
	}
	return salt, nil
}
