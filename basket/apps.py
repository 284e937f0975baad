import oscar.apps.basket.apps as apps


class BasketConfig(apps.BasketConfig):
    name = "basket"

    def ready(self):
        super().ready()
        from basket import receivers

        receivers.connect()
