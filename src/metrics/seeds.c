/* seeds: the built-in data each schema version brings, by the service that
 * owns it; the core runs them at db.init and at each migration (db.h). */
#include "core/db.h"
#include "metrics/catalog.h"

const struct db_seeder db_seeders[] = {
        {5, "metric_catalogue", catalog_seed_tx},
};
const size_t db_nseeders = sizeof db_seeders / sizeof db_seeders[0];
