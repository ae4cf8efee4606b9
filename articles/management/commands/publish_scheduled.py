from django.core.management.base import BaseCommand

from articles.publishing.schedule import go_live_due


class Command(BaseCommand):
    help = (
        "Put live every approved change whose time has come. Run it every minute from a "
        "timer; readers' requests also do it, so a missed run delays nothing they see."
    )

    def handle(self, *args, **options):
        done = go_live_due()
        if options["verbosity"]:
            self.stdout.write(f"{done} scheduled change{'s' if done != 1 else ''} went live.")
