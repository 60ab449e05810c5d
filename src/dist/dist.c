/* dist.c — MPI start and stop, agreement on failures, and the ordered write of the ranks'
 * outputs (dist.h).
 *
 * MPI is started only when mpirun or srun started the process (OMPI_COMM_WORLD_SIZE,
 * PMIX_RANK or PMI_RANK in the environment), so that an ordinary run of an MPI build is the
 * same single process as a build without MPI. A failure is agreed on with one reduction
 * (the lowest key among the failing ranks) and a broadcast of that rank's error record, so
 * every rank returns the same status and rank 0 prints one message. Outputs travel to rank
 * 0 in pieces of at most 64 MB (MPI counts are ints), rank by rank. */
#include <limits.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>

#include "dist.h"

static int started, world_rank, world_size = 1;

int ct_dist_start(int *argc, char ***argv)
{
    if (!getenv("OMPI_COMM_WORLD_SIZE") && !getenv("PMIX_RANK") && !getenv("PMI_RANK"))
        return 0;
    if (MPI_Init(argc, argv) != MPI_SUCCESS) {
        fprintf(stderr, "comptext: MPI could not start (MPI_Init failed)\n");
        return -1;
    }
    MPI_Comm_set_errhandler(MPI_COMM_WORLD, MPI_ERRORS_ARE_FATAL);
    MPI_Comm_rank(MPI_COMM_WORLD, &world_rank);
    MPI_Comm_size(MPI_COMM_WORLD, &world_size);
    started = 1;
    return 1;
}

void ct_dist_stop(void)
{
    if (started)
        MPI_Finalize();
    started = 0;
}

int ct_dist_active(void)
{
    return started;
}

int ct_dist_rank(void)
{
    return world_rank;
}

int ct_dist_size(void)
{
    return world_size;
}

int ct_dist_agree_at(int rc, long key, ct_error *err)
{
    struct {
        long key;
        int rank;
    } mine = {rc != CT_OK ? (key >= 0 ? key : world_rank) : LONG_MAX, world_rank}, first;
    MPI_Allreduce(&mine, &first, 1, MPI_LONG_INT, MPI_MINLOC, MPI_COMM_WORLD);
    if (first.key == LONG_MAX)
        return CT_OK;
    int status = rc;
    MPI_Bcast(&status, 1, MPI_INT, first.rank, MPI_COMM_WORLD);
    ct_error local;
    if (!err) {
        ct_error_clear(&local);
        err = &local;
    }
    MPI_Bcast(err, (int)sizeof *err, MPI_BYTE, first.rank, MPI_COMM_WORLD);
    return status;
}

int ct_dist_agree(int rc, ct_error *err)
{
    return ct_dist_agree_at(rc, -1, err);
}

int ct_dist_max_status(int status)
{
    int all = status;
    MPI_Allreduce(&status, &all, 1, MPI_INT, MPI_MAX, MPI_COMM_WORLD);
    return all;
}

int ct_dist_bcast_status(int status)
{
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return status;
}

#define PIECE ((size_t)64 << 20)

int ct_dist_write(FILE *f, const char *bytes, size_t len)
{
    int rc = CT_OK;
    if (world_rank != 0) {
        unsigned long long n = len;
        MPI_Send(&n, 1, MPI_UNSIGNED_LONG_LONG, 0, 1, MPI_COMM_WORLD);
        for (size_t at = 0; at < len; at += PIECE) {
            size_t k = len - at < PIECE ? len - at : PIECE;
            MPI_Send(bytes + at, (int)k, MPI_BYTE, 0, 2, MPI_COMM_WORLD);
        }
        return CT_OK;
    }
    if (f && len && fwrite(bytes, 1, len, f) != len)
        rc = CT_EIO;
    char *buf = NULL;
    for (int r = 1; r < world_size; r++) {
        unsigned long long n;
        MPI_Recv(&n, 1, MPI_UNSIGNED_LONG_LONG, r, 1, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
        if (n && !buf && !(buf = malloc(PIECE))) {
            /* the senders would block for ever: end the whole job */
            fprintf(stderr, "comptext: out of memory while gathering the output on rank 0\n");
            MPI_Abort(MPI_COMM_WORLD, 1);
        }
        for (size_t at = 0; at < n; at += PIECE) {
            size_t k = n - at < PIECE ? n - at : PIECE;
            MPI_Recv(buf, (int)k, MPI_BYTE, r, 2, MPI_COMM_WORLD, MPI_STATUS_IGNORE);
            if (rc == CT_OK && f && fwrite(buf, 1, k, f) != k)
                rc = CT_EIO;
        }
    }
    free(buf);
    if (rc == CT_OK && f && ferror(f))
        rc = CT_EIO;
    return rc;
}
