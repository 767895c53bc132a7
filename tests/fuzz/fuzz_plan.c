/* libFuzzer target over the plan reader: the input is read as a plan,
 * once with its checksums checked (the path every real plan takes) and
 * once without (so that the fuzzer, which cannot forge SHA-256, reaches
 * the directive and step parsers behind them). Any crash, leak, hang or
 * sanitizer report is a finding. */
#include "plan.h"

#include <stddef.h>
#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    for (int check = 0; check <= 1; check++) {
        Plan plan;
        PlanError err;
        if (plan_parse("fuzz.sql", (const char *)data, size, check, &plan, &err) == 0) {
            /* Every step's statement lies inside the input. */
            for (size_t i = 0; i < plan.n_steps; i++)
                if (plan.steps[i].sql < plan.bytes
                    || plan.steps[i].sql + plan.steps[i].sql_len > plan.bytes + plan.size)
                    __builtin_trap();
        }
        plan_free(&plan);
    }
    return 0;
}
