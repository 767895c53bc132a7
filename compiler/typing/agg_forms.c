/* Forms of aggregates that came after the aggregate (agg_forms.h). Each
 * was tried on 18.16: groupUniqArray(3) is refused with 133, topK(3, 5)
 * with 42, sumResample(0, 10, 2) with 46 (a call) and 63 (a state type);
 * chDB 26.5 takes them all. The versions are in versions.c. */
#include "typing/agg_forms.h"

#include <string.h>

#include "project/versions.h"
#include "typing/aggregate.h"

typedef struct LaterParam {
    const char *base;
    int index;    /* the first parameter the old servers lack */
    Feature feature;
} LaterParam;

static const LaterParam later[] = {
    {"groupUniqArray", 0, F_GROUP_UNIQ_ARRAY_SIZE},
    {"topK", 1, F_TOPK_LOAD_FACTOR},
    {"topKWeighted", 1, F_TOPK_LOAD_FACTOR},
};

bool aggregate_form_available(Project *p, const char *fn, size_t len, const Span *params, int n, SourceFile *file,
                              Span at, bool function)
{
    size_t base_len;
    Object *base = aggregate_base(p, fn, len, &base_len);
    if (!base)
        return true;
    if (function && base->since_major && !version_at_least(&p->options, base->since_major, base->since_minor)) {
        version_report_function(p, file, at, base->qname, base->since_major, base->since_minor);
        return false;
    }
    bool ok = true;
    int r = aggregate_resamples(fn + base_len, len - base_len);
    if (r && !version_require_feature(p, F_RESAMPLE, file, at))
        ok = false;
    int own = n - 3 * r;
    for (size_t k = 0; k < sizeof(later) / sizeof(later[0]); k++) {
        const LaterParam *l = &later[k];
        if (strlen(l->base) != base_len || memcmp(l->base, fn, base_len) != 0 || own <= l->index)
            continue;
        if (!version_require_feature(p, l->feature, file, params[l->index]))
            ok = false;
    }
    return ok;
}
