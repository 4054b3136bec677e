"""``manage.py check_balances``: recompute every balance from its transactions and report disagreements."""

from django.core.management.base import BaseCommand, CommandError

from ledger.balances import disagreeing_accounts, disagreeing_transactions


class Command(BaseCommand):
    help = (
        "Recompute every account's balance, and every transaction's running balance, from the "
        "transactions; list those that disagree with what is stored and exit non-zero if any does."
    )

    def handle(self, *args, **options):
        problems = 0
        for account in disagreeing_accounts().iterator():
            problems += 1
            self.stdout.write(
                f"Account {account.number}: stored balance {account.balance}, "
                f"transactions say {account.computed}"
            )
        for posted in disagreeing_transactions().iterator():
            problems += 1
            self.stdout.write(
                f"Account {posted.account.number}, transaction {posted.pk} of {posted.date}: "
                f"running balance {posted.running_balance}, transactions say {posted.computed}"
            )
        if problems:
            raise CommandError(f"{problems} balance(s) disagree with the transactions.")
        self.stdout.write(self.style.SUCCESS("Every balance agrees with its transactions."))
