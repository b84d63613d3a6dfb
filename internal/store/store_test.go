package store_test

import (
	"testing"

	"github.com/pendopo/pendopo"
	"github.com/pendopo/pendopo/internal/pendopotest"
	"github.com/pendopo/pendopo/internal/store/storetest"
)

func TestSQLite(t *testing.T) {
	storetest.Run(t, func(t *testing.T) pendopo.Store { return pendopotest.SQLite(t) })
}

func TestPostgres(t *testing.T) {
	storetest.Run(t, func(t *testing.T) pendopo.Store { return pendopotest.Postgres(t) })
}
