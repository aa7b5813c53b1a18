/* monitor-count: a QEMU TCG plugin that counts, instruction by instruction, what the guest
 * processor executes, split at an address: every instruction at or above `from` (the monitor's
 * window, 0xfff00000 by default) is counted per address, the rest in one total. At exit it writes
 * "ADDRESS COUNT" lines and "guest N" (the instructions below `from`) to the file `out` (default
 * monitor-count.txt). With every=N it also writes, as it goes, "at T monitor M": after every N
 * instructions, T instructions in all so far, M of them at or above `from` (under -icount
 * shift=0, T is the virtual time in nanoseconds).
 *
 *   qemu-system-arm ... -plugin build/host/tools/libmonitor-count.so,out=FILE[,from=0xfff00000][,every=N]
 *
 * QEMU 7.2's plugin API, version 1 (include/qemu/qemu-plugin.h): Debian ships no header, so the
 * few declarations used are written out here; QEMU checks the version at load. */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef uint64_t qemu_plugin_id_t;
struct qemu_plugin_tb;
struct qemu_plugin_insn;
typedef struct qemu_info_t qemu_info_t;
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t id, struct qemu_plugin_tb* tb);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t id, void* userdata);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void* userdata);
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS };

void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t id, qemu_plugin_vcpu_tb_trans_cb_t cb);
size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb* tb);
struct qemu_plugin_insn* qemu_plugin_tb_get_insn(const struct qemu_plugin_tb* tb, size_t idx);
uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn* insn);
void qemu_plugin_register_vcpu_insn_exec_inline(struct qemu_plugin_insn* insn, enum qemu_plugin_op op, void* ptr,
                                                uint64_t imm);
void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb* tb, qemu_plugin_vcpu_udata_cb_t cb,
                                          enum qemu_plugin_cb_flags flags, void* userdata);
void qemu_plugin_register_atexit_cb(qemu_plugin_id_t id, qemu_plugin_udata_cb_t cb, void* userdata);

__attribute__((visibility("default"))) int qemu_plugin_version = 1;

static uint64_t from = 0xfff00000, other, monitor, every, next;
static FILE* snapshots;
static uint64_t* counts; /* per halfword address from `from` to the top of the address space */
static char out[512] = "monitor-count.txt";

/* At the start of every block (the counts are exact up to the previous one's end). */
static void block_starts(unsigned int vcpu, void* userdata)
{
    (void)vcpu, (void)userdata;
    if (other + monitor < next) return;
    fprintf(snapshots, "at %" PRIu64 " monitor %" PRIu64 "\n", other + monitor, monitor);
    fflush(snapshots);
    next += every;
}

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb* tb)
{
    (void)id;
    if (every) qemu_plugin_register_vcpu_tb_exec_cb(tb, block_starts, QEMU_PLUGIN_CB_NO_REGS, NULL);
    for (size_t i = 0, n = qemu_plugin_tb_n_insns(tb); i < n; ++i) {
        struct qemu_plugin_insn* insn = qemu_plugin_tb_get_insn(tb, i);
        const uint64_t address = qemu_plugin_insn_vaddr(insn) & 0xffffffffu;
        uint64_t* counter = address >= from ? &counts[(address - from) / 2] : &other;
        qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, counter, 1);
        if (address >= from) qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &monitor, 1);
    }
}

static void finished(qemu_plugin_id_t id, void* userdata)
{
    (void)id, (void)userdata;
    FILE* f = snapshots ? snapshots : fopen(out, "w");
    if (!f) return;
    for (uint64_t i = 0; i < (0x100000000u - from) / 2; ++i)
        if (counts[i]) fprintf(f, "%08" PRIx64 " %" PRIu64 "\n", from + 2 * i, counts[i]);
    fprintf(f, "guest %" PRIu64 "\n", other);
    fclose(f);
}

__attribute__((visibility("default"))) int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t* info,
                                                               int argc, char** argv)
{
    (void)info;
    for (int i = 0; i < argc; ++i) {
        if (!strncmp(argv[i], "out=", 4))
            snprintf(out, sizeof out, "%s", argv[i] + 4);
        else if (!strncmp(argv[i], "from=", 5))
            from = strtoull(argv[i] + 5, NULL, 0) & ~1ull;
        else if (!strncmp(argv[i], "every=", 6))
            next = every = strtoull(argv[i] + 6, NULL, 0);
        else
            return -1;
    }
    counts = calloc((0x100000000u - from) / 2, sizeof *counts);
    if (!counts) return -1;
    if (every && !(snapshots = fopen(out, "w"))) return -1;
    qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
    qemu_plugin_register_atexit_cb(id, finished, NULL);
    return 0;
}
