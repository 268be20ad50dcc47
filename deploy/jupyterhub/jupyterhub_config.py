"""JupyterHub for one ockit class on one machine (the shape of The Littlest JupyterHub).

tests/hub/ runs this very file (its conftest.py loads it first with load_subconfig) and replaces
only what cannot run there: the addresses and paths (into a temporary folder) and SystemdSpawner
(no systemd there: SimpleLocalProcessSpawner, so no dynamic users and no memory or CPU limits),
with the kit's wheel in a virtualenv instead of /opt/ockit, and the idle culler's timeout cut to
seconds. NativeAuthenticator (sign-up, approval at /hub/authorize, password rules, the admin
account) and the idle-culler service with its role run as written. The README's « Déploiement »
section says, in French, how to use this file. Setup, as root, on Debian/Ubuntu with
Python >= 3.11 and Node.js:

    python3 -m venv /opt/jupyterhub
    # JupyterHub 5, not 6: NativeAuthenticator 1.3 (the latest) still uses the statsd client that
    # JupyterHub 6.0 removed, and every login then fails with an error 500.
    /opt/jupyterhub/bin/pip install 'jupyterhub>=5,<6' 'jupyterhub-nativeauthenticator>=1.3' \
        jupyterhub-systemdspawner 'jupyterhub-idle-culler>=2'
    npm install -g configurable-http-proxy
    # The learners' environment: the kit from its wheel (`pip wheel --no-deps . -w dist`),
    # JupyterLab and nbgitpuller, shared read-only by every learner.
    python3 -m venv /opt/ockit
    /opt/ockit/bin/pip install dist/ockit-*.whl nbgitpuller
    # The class's hand-in folder: everyone may drop a file, nobody but the instructors' group
    # may list or read it, nobody may delete another's file (3733 = setgid + sticky + -wx).
    groupadd --force enseignants && usermod -aG enseignants <compte-enseignant>
    install -d -m 3733 -o root -g enseignants /srv/remises
    cp deploy/jupyterhub/jupyterhub_config.py /opt/jupyterhub/jupyterhub_config.py
    cd /opt/jupyterhub && bin/jupyterhub -f jupyterhub_config.py   # or a systemd unit

Then, before giving the hub's address to anyone, sign up as `enseignant` at /hub/signup: that
name is in admin_users, so its account is authorized at once and can approve the others at
/hub/authorize; whoever signs up with that name first becomes the hub's administrator.
Put a TLS reverse proxy (Caddy, nginx) in front, or set c.JupyterHub.ssl_cert/ssl_key.
"""

import sys

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

# --- Where the hub listens -------------------------------------------------------------------
c.JupyterHub.bind_url = "http://127.0.0.1:8000"  # behind the TLS reverse proxy
c.JupyterHub.db_url = "sqlite:////opt/jupyterhub/jupyterhub.sqlite"
c.JupyterHub.cookie_secret_file = "/opt/jupyterhub/jupyterhub_cookie_secret"

# --- Authentication ----------------------------------------------------------------------------
# NativeAuthenticator: learners sign up on the hub's own page with a user name the instructor
# gives them (an account id, e.g. their student number, never their name: it names their hand-in
# files), and the instructor approves each account at /hub/authorize. No Unix account is needed.
# A cégep or university with its own accounts would use its SSO instead (OAuthenticator,
# LTI13Authenticator from Moodle) or, on a machine whose learners have Unix accounts, the
# default PAMAuthenticator with c.SystemdSpawner.dynamic_users = False.
c.JupyterHub.authenticator_class = "native"
c.NativeAuthenticator.open_signup = False  # every account waits for the instructor's approval
c.NativeAuthenticator.minimum_password_length = 10
c.NativeAuthenticator.check_common_password = True
c.Authenticator.admin_users = {"enseignant"}  # sign up with this name first (see the top)
c.Authenticator.allow_all = True  # everyone the authenticator accepts (approved accounts)

# --- One server per learner, with limits ------------------------------------------------------
# SystemdSpawner runs each learner's server as a systemd unit; with dynamic_users, systemd gives
# each learner a uid of their own (DynamicUser) and a home in /var/lib/private/<user>, so learners
# cannot read each other's files, and memory and CPU are enforced by the kernel's cgroups.
c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
c.SystemdSpawner.dynamic_users = True
c.SystemdSpawner.mem_limit = "1G"  # benchmarks/bench_hub.py: one learner needs far less
c.SystemdSpawner.cpu_limit = 1.0
c.SystemdSpawner.readwrite_paths = ["/srv/remises"]  # dynamic users see the system read-only
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
c.Spawner.cmd = ["/opt/ockit/bin/jupyterhub-singleuser"]  # the kit's environment, from its wheel
c.Spawner.default_url = "/lab"
c.Spawner.environment = {
    "OCKIT_HANDIN": "/srv/remises",  # the export button and `ockit export-submission` drop here
    "PATH": "/opt/ockit/bin:/usr/local/bin:/usr/bin:/bin",
    "JUPYTER_PLATFORM_DIRS": "1",
}
c.Spawner.start_timeout = 120

# --- Idle culling ------------------------------------------------------------------------------
# jupyterhub-idle-culler as a hub service: a server idle for an hour is stopped (its files stay);
# the learner's next visit starts it again. Its role grants only what it needs.
c.JupyterHub.services = [
    {
        "name": "idle-culler",
        "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600", "--cull-every=300"],
    }
]
c.JupyterHub.load_roles = [
    {
        "name": "idle-culler",
        "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        "services": ["idle-culler"],
    }
]
