/* dist.c — MPI start and stop, agreement on failures, and the ordered write of the ranks'
 * outputs (dist.h).
 *
 * MPI is started only when mpirun or srun started the process (OMPI_COMM_WORLD_SIZE,
 * PMIX_RANK or PMI_RANK in the environment), so that an ordinary run of an MPI build is the
 * same single process as a build without MPI. A failure is agreed on with one reduction
 * (the lowest key among the failing ranks) and a broadcast of that rank's error record, so
 * every rank returns the same status and rank 0 prints one message. Outputs travel to rank
 * 0 rank by rank, in pieces of 16 MB read from each rank's temporary file (so no rank holds
 * its formatted output in memory), and rank 0 writes them after its own rows. */
#include <limits.h>
#include <mpi.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

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
    ct_dist_quiet_barrier(); /* the ranks come from unequal work: the first wait asleep */
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

void ct_dist_row_span(size_t rows, size_t *first, size_t *total)
{
    unsigned long long mine = rows, before = 0, all = 0;
    MPI_Exscan(&mine, &before, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    MPI_Allreduce(&mine, &all, 1, MPI_UNSIGNED_LONG_LONG, MPI_SUM, MPI_COMM_WORLD);
    *first = world_rank == 0 ? 0 : (size_t)before; /* Exscan leaves rank 0's undefined */
    *total = (size_t)all;
}

int ct_dist_bcast_status(int status)
{
    MPI_Bcast(&status, 1, MPI_INT, 0, MPI_COMM_WORLD);
    return status;
}

void ct_dist_quiet_barrier(void)
{
    MPI_Request rq;
    int done = 0;
    MPI_Ibarrier(MPI_COMM_WORLD, &rq);
    MPI_Test(&rq, &done, MPI_STATUS_IGNORE);
    while (!done) {
        nanosleep(&(struct timespec){0, 1000000}, NULL); /* 1 ms */
        MPI_Test(&rq, &done, MPI_STATUS_IGNORE);
    }
}

#define PIECE ((size_t)16 << 20)

int ct_dist_write_file(FILE *f, FILE *src, int skip_line)
{
    int rc = CT_OK;
    char *buf = malloc(PIECE);
    if (!buf) {
        /* a sender or the receiver without a buffer would leave the others blocked */
        fprintf(stderr, "comptext: out of memory while gathering the output\n");
        MPI_Abort(MPI_COMM_WORLD, 1);
    }
    if (world_rank != 0) {
        /* pieces of up to PIECE bytes, then an empty one */
        int n = 0;
        if (src && fseek(src, 0, SEEK_SET) == 0) {
            if (skip_line) {
                int ch;
                while ((ch = getc(src)) != EOF && ch != '\n')
                    ;
            }
            size_t k;
            while ((k = fread(buf, 1, PIECE, src)) > 0)
                MPI_Send(buf, (int)k, MPI_BYTE, 0, 2, MPI_COMM_WORLD);
        }
        MPI_Send(buf, n, MPI_BYTE, 0, 2, MPI_COMM_WORLD);
        free(buf);
        return CT_OK;
    }
    for (int r = 1; r < world_size; r++)
        for (;;) {
            MPI_Status st;
            int k;
            MPI_Recv(buf, (int)PIECE, MPI_BYTE, r, 2, MPI_COMM_WORLD, &st);
            MPI_Get_count(&st, MPI_BYTE, &k);
            if (k == 0)
                break;
            if (rc == CT_OK && f && fwrite(buf, 1, (size_t)k, f) != (size_t)k)
                rc = CT_EIO;
        }
    free(buf);
    if (rc == CT_OK && f && ferror(f))
        rc = CT_EIO;
    return rc;
}
