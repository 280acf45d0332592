"""The import wizard's files, below the pages and the jobs that use them: the staging of an
uploaded file for its formats (`uploads`, on `sikumuh.io.staging`), the formats it reads and how
each is imported as a user (`formats`), and the check whose report the review page shows, with
the scope rule that leaves out the rows a user may not edit (`validation`). The web views take
the file and show the report; the jobs (`sikumuh.jobs.kinds.imports`) check and import it."""
