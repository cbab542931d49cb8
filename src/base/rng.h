/*
 * rng: a small deterministic generator (xoshiro256**, seeded by splitmix64),
 * so the demo and benchmarks produce the same data for the same seed on every
 * machine.  Not for cryptography.  Not thread-safe per state.
 */
#ifndef PLUMB_RNG_H
#define PLUMB_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

void rng_seed(struct rng *r, uint64_t seed);
uint64_t rng_next(struct rng *r);
/* Uniform integer in [0, n); n > 0. */
uint64_t rng_below(struct rng *r, uint64_t n);

#endif
